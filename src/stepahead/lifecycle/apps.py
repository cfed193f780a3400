from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "stepahead.lifecycle"
    label = "lifecycle"
    verbose_name = "Partnership lifecycle"
