from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "stepahead.web"
    label = "web"
    verbose_name = "StepAhead web UI"
