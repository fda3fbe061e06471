from django.contrib import admin
from django.urls import include, path

from careers import views as careers_views
from config import views
from learning import views as learning_views

urlpatterns = [
    path("", careers_views.home, name="home"),
    path("", include("careers.urls")),
    path("", include("learning.urls")),
    path("search/", learning_views.search, name="search"),
    path("accounts/", include("accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

admin.site.site_header = "GenAI Pathways administration"
admin.site.site_title = "GenAI Pathways admin"
admin.site.index_title = "Content and learners"
