from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "stepahead.concerns"
    label = "concerns"
