from django.urls import path

from careers import views

app_name = "careers"

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/<slug:slug>/", views.role_detail, name="role-detail"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("changes/", views.change_list, name="change-list"),
]
