"""The PDF: tagged and titled, page one fits A4 and US Letter, the chart has alt text."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from crampwise.clinician.core.chart import weekly_svg
from crampwise.clinician.core.report_content import build_report, default_range
from crampwise.clinician.core.report_pdf import page_one_end, render_pdf, typst_inputs
from crampwise.diary.core.records import MedicineRecord
from tests.clinician.records import END, demo_year

START, _ = default_range(END)


@pytest.fixture(scope="module")
def crowded_report():
    """A heavy page one: many medicines, flags and reliefs, a trial, long names."""
    nights, episodes, _m = demo_year()
    medicines = [
        MedicineRecord(
            f"Medicine number {i} with a long name",
            "10 mg twice a day",
            END - timedelta(days=30 * i),
        )
        for i in range(10)
    ]
    links = {
        m.name: {"linked": True, "class_name": "Loop diuretics", "strength": "weak", "generic": "x"}
        for m in medicines[:5]
    }
    flags = [
        {
            "id": f"flag{i}",
            "severity": "urgent" if i < 2 else "routine",
            "message": "A finding from the symptom check that takes a whole line or more to say in words.",
        }
        for i in range(6)
    ]
    trials = [
        {
            "remedy": "Calf stretching",
            "started": "2026-05-01",
            "ended": "2026-07-01",
            "rate_ratio_median": 0.7,
            "rate_ratio_ci95": [0.5, 0.9],
            "p_reduction": 0.98,
        }
    ]
    return build_report(
        nights,
        episodes,
        medicines,
        start=START,
        end=END,
        today=END,
        medicine_links=links,
        assessment={"at": "2026-11-01", "flags": flags},
        trials=trials,
        patient={
            "name": "Margaret Alexandra Thompson-Williams",
            "birth_year": 1948,
            "sex": "Female",
        },
    )


@pytest.mark.parametrize("paper", ["a4", "us-letter"])
def test_page_one_fits_on_one_page_even_when_crowded(crowded_report, paper):
    """All of page one's answers end on page 1; the night table starts on page 2."""
    assert page_one_end(crowded_report, paper) == 1


def test_the_pdf_is_tagged_titled_in_a_language_and_pdf_ua(crowded_report):
    """Structure tree, document title, language and the PDF/UA identification are present."""
    pdf = render_pdf(crowded_report, "a4")
    assert pdf.startswith(b"%PDF-")
    assert b"/StructTreeRoot" in pdf and b"/MarkInfo" in pdf
    assert b"/Lang" in pdf
    assert b"pdfuaid" in pdf  # PDF/UA-1 identification in the XMP metadata
    assert b"Night leg cramps: diary report" in pdf or b"/Title" in pdf


def test_paper_sizes_differ_and_unknown_paper_is_refused(crowded_report):
    """A4 is 595 x 842 pt, US Letter 612 x 792 pt."""
    a4 = render_pdf(crowded_report, "a4")
    letter = render_pdf(crowded_report, "us-letter")
    assert re.search(rb"/MediaBox\s*\[0 0 595\.\d+ 841\.\d+\]", a4)
    assert re.search(rb"/MediaBox\s*\[0 0 612 792\]", letter)
    with pytest.raises(ValueError):
        typst_inputs(crowded_report, "a3")


def test_the_chart_is_black_and_white_svg_without_styles_or_scripts(crowded_report):
    """Greys only, a title for screen readers, nothing the CSP would block."""
    svg = weekly_svg(crowded_report["trend"]["weeks"], crowded_report["chart"]["alt"])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "style=" not in svg and "<script" not in svg
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", svg))
    assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours


def test_a_diary_without_nights_still_makes_a_pdf_without_a_chart():
    """No nights: no chart, the sentences say so, and the PDF still builds."""
    report = build_report([], [], [], start=START, end=END, today=END)
    assert "chart" not in typst_inputs(report)
    assert report["often"]["sentence"] == "No nights recorded in this period."
    assert render_pdf(report).startswith(b"%PDF-")


def test_typst_markup_in_a_note_is_printed_as_text():
    """A note such as "#pagebreak() *bold*" is data, not typst code."""
    nights, episodes, medicines = demo_year()
    last = max((n for n in nights if n.night <= END), key=lambda n: n.night)
    from dataclasses import replace

    tricky = [replace(last, note='#pagebreak() *bold* #read("/etc/passwd") $x$ <lbl> @ref')]
    report = build_report(tricky, [], [], start=END - timedelta(days=6), end=END, today=END)
    assert page_one_end(report) == 1
    assert render_pdf(report).startswith(b"%PDF-")
