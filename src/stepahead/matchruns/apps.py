from django.apps import AppConfig


class MatchrunsConfig(AppConfig):
    name = "stepahead.matchruns"
    label = "matchruns"
