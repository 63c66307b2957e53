import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("series", "0002_blocks_and_stored_results"),
    ]

    operations = [
        migrations.AlterField(
            model_name="seriesevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("unblind", "opened the sealed key"),
                    ("finish", "marked the series finished"),
                    ("export", "exported the series"),
                    ("key_sent", "sent the key to the pharmacy"),
                    ("key_revoke", "withdrew the pharmacy's link to the key"),
                    ("key_opened", "the pharmacy opened the key"),
                ],
                max_length=10,
            ),
        ),
        migrations.CreateModel(
            name="PharmacyLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("pharmacy_name", models.CharField(max_length=120, verbose_name="pharmacy")),
                ("email", models.EmailField(max_length=254, verbose_name="email address")),
                ("token_hash", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
                ("opened_count", models.PositiveIntegerField(default=0)),
                ("last_opened_at", models.DateTimeField(blank=True, null=True)),
                (
                    "protocol",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pharmacy_links",
                        to="series.protocol",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("revoked_at__isnull", True)),
                        fields=("protocol",),
                        name="one_live_pharmacy_link_per_series",
                    )
                ],
            },
        ),
    ]
