from django.apps import AppConfig


class NudgesConfig(AppConfig):
    name = "stepahead.nudges"
    label = "nudges"
