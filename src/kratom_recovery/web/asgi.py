"""The ASGI application; like wsgi.py, private files and the data folder made first."""

import os

from django.core.asgi import get_asgi_application

from kratom_recovery.process import private_process
from kratom_recovery.web.config import prepare_data_home

private_process()
prepare_data_home()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
application = get_asgi_application()
