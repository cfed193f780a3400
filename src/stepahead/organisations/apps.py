from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "stepahead.organisations"
    label = "organisations"
