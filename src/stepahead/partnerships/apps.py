from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "stepahead.partnerships"
    label = "partnerships"
