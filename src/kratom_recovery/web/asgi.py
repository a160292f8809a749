"""The ASGI application; like wsgi.py, files this process creates are private."""

import os

from django.core.asgi import get_asgi_application

from kratom_recovery.process import private_process

private_process()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
application = get_asgi_application()
