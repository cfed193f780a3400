from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "stepahead.programmes"
    label = "programmes"
