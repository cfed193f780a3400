from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "stepahead.people"
    label = "people"
