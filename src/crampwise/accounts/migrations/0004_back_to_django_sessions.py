"""Sessions go back to Django's own table, and UserSession goes.

Whoever is signed in stays signed in: each live session is copied into Django's table as it is
(same key, same signed data, same expiry). Rows left in Django's table from before 0003 are out
of date (their people may have signed out since), so they are removed first. A session signed in
through allauth's backend names crampwise's subclass of it from now on.
"""

from django.db import migrations
from django.utils import timezone

BACKEND_NAMES = {
    "allauth.account.auth_backends.AuthenticationBackend": "crampwise.accounts.backends.ProfileAuthenticationBackend",
}


def move_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    django_sessions = apps.get_model("sessions", "Session")
    ours = apps.get_model("accounts", "UserSession")
    coder = SessionStore()
    django_sessions.objects.all().delete()
    copies = []
    for session in ours.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = session.session_data
        decoded = coder.decode(data)
        backend = decoded.get("_auth_user_backend")
        if backend in BACKEND_NAMES:
            decoded["_auth_user_backend"] = BACKEND_NAMES[backend]
            data = coder.encode(decoded)
        copies.append(
            django_sessions(
                session_key=session.session_key, session_data=data, expire_date=session.expire_date
            )
        )
    django_sessions.objects.bulk_create(copies, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_copy_sessions"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_sessions, migrations.RunPython.noop),
        migrations.DeleteModel(name="UserSession"),
    ]
