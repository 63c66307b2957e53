import uuid

from django.db import migrations, models


def give_each_person_a_key(apps, schema_editor):
    # One random key each: a default in AddField would give every existing row the same one.
    settings = apps.get_model("reminders", "ReminderSettings")
    for row in settings.objects.filter(mail_key__isnull=True).only("pk"):
        row.mail_key = uuid.uuid4()
        row.save(update_fields=["mail_key"])


class Migration(migrations.Migration):
    dependencies = [("reminders", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="remindersettings",
            name="mail_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_person_a_key, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="remindersettings",
            name="mail_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
