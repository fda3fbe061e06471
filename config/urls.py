from django.contrib import admin
from django.urls import include, path

from accounts import data_views
from careers import views as careers_views
from common import views

urlpatterns = [
    path("", careers_views.home, name="home"),
    path("", include("careers.urls")),
    path("", include("learning.urls")),
    path("search/", careers_views.search, name="search"),
    path("u/<slug:handle>/", data_views.public_progress, name="public-progress"),
    path("accounts/", include("accounts.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "common.views.bad_request"
handler403 = "common.views.permission_denied"
handler404 = "common.views.page_not_found"
handler500 = "common.views.server_error"

admin.site.site_header = "GenAI Pathways administration"
admin.site.site_title = "GenAI Pathways admin"
admin.site.index_title = "Content and learners"
