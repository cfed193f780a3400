from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "stepahead.people"
    label = "people"

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the signal receivers)
