"""The WSGI application gunicorn serves (`crampwise serve`): Django's own handler.

Each gunicorn worker loads this module before it takes a request, so the URL configuration (every
view and the API's schemas) is imported here: otherwise the first visitor of each new worker would
wait for those imports.
"""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018  (imports every view now, not on the first request)
