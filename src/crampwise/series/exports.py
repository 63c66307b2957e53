"""The series' exports: every night as CSV, the report as PDF, the pooled answer as FHIR.

Only the owner can download them (``views.owned_protocol``), each download is written to every
consenting patient's access trail, and a patient who withdrew is in none of them. While the key of
a blinded series is sealed the CSV has the pack letter and an empty arm column.
"""

from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crampwise.series import audit, presentation
from crampwise.series.core.fhir_pooled import pooled_bundle
from crampwise.series.models import Protocol
from crampwise.series.summary import night_rows, series_summary
from crampwise.series.views import owned_protocol

CSV_COLUMNS = ("patient", "night", "arm", "pack", "washout", "cramps", "confirmed")
TEMPLATE = Path(__file__).parent / "templates_typst" / "series.typ"
PDF_FOREST_MAX = 16


def nights_csv_text(protocol: Protocol) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(night_rows(protocol))
    return out.getvalue()


@login_required
@require_GET
def nights_csv(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    text = nights_csv_text(protocol)
    audit.record_view(protocol, request, "csv")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="series-{protocol.join_code}-nights.csv"'
    )
    return response


def fhir_dict(protocol: Protocol) -> dict | None:
    summary = series_summary(protocol)
    pooled = presentation.pooled_dict(summary, protocol)
    if not pooled["enough_data"]:
        return None
    return pooled_bundle(str(protocol.pk), protocol.title, presentation.remedy_noun(protocol),
                         pooled, generated_at=timezone.now())  # fmt: skip


@login_required
@require_GET
def fhir_bundle(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    bundle = fhir_dict(protocol)
    if bundle is None:
        raise Http404("no pooled answer yet")
    audit.record_view(protocol, request, "fhir")
    response = HttpResponse(json.dumps(bundle, indent=1), content_type="application/fhir+json")
    response["Content-Disposition"] = (
        f'attachment; filename="series-{protocol.join_code}.fhir.json"'
    )
    return response


def report_data(protocol: Protocol) -> dict:
    """What the PDF prints: the protocol's CENT items, the pooled answer and each patient's row."""
    summary = series_summary(protocol)
    numbers = presentation.page_numbers(summary, protocol)
    forest = presentation.forest(summary)
    return {
        "title": protocol.title,
        "version": protocol.version,
        "made": timezone.now().strftime("%Y-%m-%d"),
        "words": presentation.design_words(protocol),
        "aims": protocol.aims,
        "labels": {
            "design": _("Design"),
            "randomisation": _("Randomisation"),
            "blinding": _("Blinding"),
            "outcome": _("Outcome"),
            "analysis": _("Analysis"),
            "threshold": _("Threshold"),
            "aims": _("Aims"),
            "answer": _("The pooled answer"),
            "patients": _("Each patient"),
            "patient": _("Patient"),
            "nights": _("Nights used"),
            "missing": _("Missing"),
            "own": _("Own ratio (95% interval)"),
            "shrunk": _("Shrunk ratio (95% interval)"),
        },  # fmt: skip
        "summary_words": list(summary.words),
        "numbers": numbers,
        "rows": [
            [
                r["row"].code,
                str(r["row"].recorded),
                str(r["row"].missing),
                f"{r['ratio']} ({r['low']}–{r['high']})" if r["ratio"] else "–",
            ]
            for r in presentation.patient_rows(summary)
        ],  # fmt: skip
        "shrunk": {
            row["label"]: f"{row['shrunk']} ({row['low']}–{row['high']})"
            for row in (forest["table"] if forest else [])
        },  # fmt: skip
        "compares": " / ".join(summary.labels),
        "forest_alt": forest["title"] if forest else "",
    }


@lru_cache(maxsize=1)
def _compiler():
    import typst

    return typst.Compiler(str(TEMPLATE))


def pdf_inputs(protocol: Protocol) -> dict[str, str]:
    """The typst template's inputs: the report as JSON, and the forest plot as SVG."""
    inputs = {"data": json.dumps(report_data(protocol), ensure_ascii=False)}
    forest = presentation.forest(series_summary(protocol))
    # The plot gets one row per patient: beyond a page's worth, the table alone carries them.
    if forest is not None and len(forest["table"]) <= PDF_FOREST_MAX:
        inputs["forest"] = forest["svg"]
    return inputs


def render_pdf(protocol: Protocol) -> bytes:
    """The report as a tagged PDF (PDF/UA-1 when the typst binding supports it, as the doctor's
    report does)."""
    inputs = pdf_inputs(protocol)
    try:
        pdf = _compiler().compile(format="pdf", sys_inputs=inputs, pdf_standards=["ua-1"])
    except Exception:  # an older typst binding without PDF/UA: the same PDF, untagged
        pdf = _compiler().compile(format="pdf", sys_inputs=inputs)
    assert isinstance(pdf, bytes)
    return pdf


@login_required
@require_GET
def report_pdf(request, protocol_id):
    protocol = owned_protocol(request, protocol_id)
    pdf = render_pdf(protocol)
    audit.record_view(protocol, request, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="series-{protocol.join_code}.pdf"'
    return response
