from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "stepahead.worker"
    label = "worker"
    verbose_name = "Task worker"
