from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "stepahead.insights"
    label = "insights"

    def ready(self) -> None:
        from . import signals

        signals.connect()
