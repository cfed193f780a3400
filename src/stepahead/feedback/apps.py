from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "stepahead.feedback"
    label = "feedback"
