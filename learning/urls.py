from django.urls import path

from learning import check_views, map_views, views

app_name = "learning"

urlpatterns = [
    path("learn/", views.module_list, name="module-list"),
    path("learn/<slug:module>/", views.module_detail, name="module-detail"),
    path("learn/<slug:module>/test-out/", check_views.module_check, name="module-check"),
    path("learn/<slug:module>/map/", map_views.module_map_view, name="module-map"),
    path("learn/<slug:module>/<slug:topic>/", views.topic_detail, name="topic-detail"),
    path("learn/<slug:module>/<slug:topic>/check/", check_views.topic_check, name="topic-check"),
    path("checks/<int:pk>/", check_views.check_attempt, name="check-attempt"),
    path("review/", check_views.review, name="review"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path("topics/<slug:topic>/state/", views.topic_state_update, name="topic-state"),
    path("topics/<slug:topic>/note/", views.topic_note_update, name="topic-note"),
    path("portfolio/", views.portfolio_list, name="portfolio-list"),
    path("portfolio/new/", views.portfolio_create, name="portfolio-create"),
    path("portfolio/<int:pk>/edit/", views.portfolio_edit, name="portfolio-edit"),
    path("portfolio/<int:pk>/delete/", views.portfolio_delete, name="portfolio-delete"),
]
