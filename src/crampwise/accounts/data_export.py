"""A person's whole account as one zip file: nightly CSV, FHIR bundle, and the report when available."""

from __future__ import annotations

import io
import json
import zipfile

from django.utils import timezone

from crampwise.diary import services


def account_zip(user) -> bytes:
    from crampwise.diary.fhir_commands import patient_data_for
    from crampwise.interop import build_bundle

    buffer = io.BytesIO()
    stamp = timezone.now()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nights.csv", services.export_csv(user))
        bundle = build_bundle(patient_data_for(user), "collection", generated_at=stamp)
        archive.writestr("fhir-bundle.json", json.dumps(bundle, indent=1, ensure_ascii=False))
        pdf = _report_pdf(user)
        if pdf is not None:
            archive.writestr("report.pdf", pdf)
        archive.writestr(
            "README.txt",
            (
                "crampwise account export\n"
                f"made {stamp.isoformat()} for {user.username}\n\n"
                "nights.csv        one row a night (docs/csv.md); import it with crampwise import csv\n"
                "fhir-bundle.json  the same diary as a FHIR R4 collection bundle (docs/fhir.md)\n"
                "report.pdf        the one-page report for your doctor, when available\n"
            ),
        )
    return buffer.getvalue()


def _report_pdf(user) -> bytes | None:
    """The doctor's report of the last 12 weeks, or None for a diary with nothing to report."""
    from crampwise.clinician.core.report_pdf import render_pdf
    from crampwise.clinician.loading import load_report

    if not services.load_nights(user):
        return None
    return render_pdf(load_report(user))
