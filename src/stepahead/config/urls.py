"""Root URLconf: admin, accounts (allauth), the JSON API and the web UI."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from stepahead.config.api import api
from stepahead.web.views.adminsite import admin_login

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/login/", admin_login, name="admin_login"),  # through allauth and its limits
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("", include("stepahead.web.urls")),
]
