"""Root URLconf: admin, accounts (allauth), the JSON API, and the web UI once it exists."""

from importlib.util import find_spec

from django.contrib import admin
from django.urls import include, path

from stepahead.config.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
]

if find_spec("stepahead.web") is not None and find_spec("stepahead.web.urls") is not None:
    urlpatterns.append(path("", include("stepahead.web.urls")))
