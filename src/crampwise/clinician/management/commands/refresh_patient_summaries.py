"""Recompute the worklist figures of every patient who shares with a clinician.

Run once after upgrading a clinic with older data (the list would otherwise compute missing
figures a few hundred at a time), and, if wanted, each night: the figures change with each write
of the patient's data, but "the last 4 weeks" moves on by itself when a patient stops writing.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from crampwise.clinician import summaries
from crampwise.clinician.models import Grant


class Command(BaseCommand):
    help = "Recompute the worklist figures of every patient who shares with a clinician."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only patients without figures yet (older data).",
        )

    def handle(self, *args, missing_only: bool = False, **options) -> None:
        patients = (
            get_user_model()
            .objects.filter(
                pk__in=Grant.objects.filter(revoked_at__isnull=True).values("patient_id"),
                is_active=True,
            )
            .select_related("profile")
            .order_by("pk")
        )
        if missing_only:
            patients = patients.filter(clinic_summary__isnull=True)
        total = patients.count()
        done = 0
        # Long work shows how far it has got: a line every 500 patients, then the total.
        for patient in patients.iterator(chunk_size=200):
            summaries.refresh(patient)
            done += 1
            if done % 500 == 0 and done < total:
                self.stdout.write(f"  {done:,} of {total:,} patients ({100 * done // total}%)")
        self.stdout.write(f"refreshed the worklist figures of {done} patients")
