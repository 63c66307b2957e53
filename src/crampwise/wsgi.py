"""The WSGI application gunicorn serves (`crampwise serve`): Django's own handler."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")

application = get_wsgi_application()
