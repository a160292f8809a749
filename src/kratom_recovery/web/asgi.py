import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
application = get_asgi_application()
