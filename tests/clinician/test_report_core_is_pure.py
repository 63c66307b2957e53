"""The report's core builds a whole report, PDF included, without Django's apps, database or templates."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from datetime import timedelta
from tests.clinician.records import END, demo_year
from crampwise.clinician.core.feature_inputs import medicine_changes, medicine_links
from crampwise.insights import summarize
from crampwise.clinician.core.report_content import build_report, default_range
from crampwise.clinician.core.report_pdf import render_pdf
nights, episodes, medicines = demo_year(nights=120)
start, end = default_range(END)
insights = summarize([n for n in nights if n.night >= start], [e for e in episodes if e.night >= start],
                     list(medicines), [], end)
report = build_report(nights, episodes, medicines, start=start, end=end, today=END, insights=insights,
                      medicine_links=medicine_links([m.name for m in medicines]),
                      medicine_changes=medicine_changes(list(nights), list(medicines), end))
assert render_pdf(report).startswith(b"%PDF-")
# crampwise.core.i18n peeks at django.conf to see whether Django is configured; nothing more may load.
heavy = ("django.db", "django.apps", "django.http", "django.template", "django.urls")
print(sorted(k for k in sys.modules if k.startswith(heavy)))
"""


def test_building_and_printing_a_report_never_loads_django():
    """Content, optional features and the PDF run in a process that never sets Django up."""
    out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
