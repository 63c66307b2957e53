"""Carry the sessions of Django's table into UserSession, so nobody is signed out by the upgrade."""

from django.db import migrations
from django.utils import timezone


def copy_sessions(apps, schema_editor):
    from django.contrib.sessions.backends.db import SessionStore

    old = apps.get_model("sessions", "Session")
    new = apps.get_model("accounts", "UserSession")
    users = set(apps.get_model("auth", "User").objects.values_list("pk", flat=True))
    decoder = SessionStore()
    copies = []
    for session in old.objects.filter(expire_date__gt=timezone.now()).iterator():
        user_id = decoder.decode(session.session_data).get("_auth_user_id")
        user_id = int(user_id) if isinstance(user_id, str) and user_id.isdigit() else None
        copies.append(
            new(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
                user_id=user_id if user_id in users else None,
            )
        )
    new.objects.bulk_create(copies, batch_size=500, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_sessions, migrations.RunPython.noop)]
