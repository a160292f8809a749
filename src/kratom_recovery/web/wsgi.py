"""The WSGI application, for `serve` and for any other WSGI server you run it under.

Files this process creates (the SQLite database and its companions) are private, whatever
the server's own umask (kratom_recovery.process), and the data folder is made before Django
reads the settings, which never create it.
"""

import os

from django.core.wsgi import get_wsgi_application

from kratom_recovery.process import private_process
from kratom_recovery.web.config import prepare_data_home

private_process()
prepare_data_home()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kratom_recovery.web.settings")
application = get_wsgi_application()
