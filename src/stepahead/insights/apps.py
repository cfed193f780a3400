from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "stepahead.insights"
    label = "insights"
