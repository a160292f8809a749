from django.apps import AppConfig


class MessagingConfig(AppConfig):
    """Secure messages between a patient and their care team ("messages" is Django's)."""

    name = "kratom_recovery.web.messaging"
    label = "messaging"
