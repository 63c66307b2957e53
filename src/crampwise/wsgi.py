import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
# What get_wsgi_application() does, with crampwise's request class (form posts parsed in one pass).
django.setup(set_prefix=False)

from crampwise.http import Handler  # noqa: E402 - Django must be set up first

application = Handler()
