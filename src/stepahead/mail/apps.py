from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "stepahead.mail"
    label = "mail"
    verbose_name = "Outbound mail"
