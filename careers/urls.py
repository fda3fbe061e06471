from django.urls import path

from careers import map_views, plan_views, views

app_name = "careers"

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/<slug:slug>/", views.role_detail, name="role-detail"),
    path("roles/<slug:slug>/map/", map_views.role_map_view, name="role-map"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("changes/", views.change_list, name="change-list"),
    path("plan/", plan_views.plan_detail, name="plan"),
    path("plan/commit/", plan_views.plan_commit_view, name="plan-commit"),
    path("plan/<str:token>.ics", plan_views.plan_feed, name="plan-feed"),
]
