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

# The error pages in the site's layout, with the navigation and the programme the address was under.
handler400 = "stepahead.web.views.errors.bad_request"
handler403 = "stepahead.web.views.errors.permission_denied"
handler404 = "stepahead.web.views.errors.page_not_found"
handler500 = "stepahead.web.views.errors.server_error"
