"""The doctor's report as a tagged PDF, typeset by typst. Pure apart from reading the template.

The content is the dict from ``report_content.build_report``; this module adds only the printed
labels and the paper size, and hands both to ``templates_typst/report.typ`` as JSON. The result is
PDF/UA-1 (tagged, with a title, a language and alt text) when the typst binding supports it; a
missing alt text then fails the build instead of giving an inaccessible file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crampwise.clinician.core.chart import weekly_svg
from crampwise.core.i18n import gettext as _

if TYPE_CHECKING:
    import typst

TEMPLATE = Path(__file__).parent.parent / "templates_typst" / "report.typ"
PAPERS = ("a4", "us-letter")


class PdfUnavailable(RuntimeError):
    """The typst binding is not installed."""


def labels() -> dict[str, str]:
    """The printed headings and column names, translated when called."""
    return {
        "patient": _("Patient"),
        "age": _("age"),
        "period": _("Period"),
        "nights": _("nights"),
        "generated": _("Made on"),
        "often": _("How often"),
        "severity": _("How bad"),
        "since": _("Since when"),
        "where": _("Where and when"),
        "findings": _("Red flags and findings"),
        "no_findings": _("Nothing found."),
        "medicines": _("Medicines now"),
        "recent_medicines": _("Stopped in the last 6 months"),
        "no_medicines": _("No current medicines listed."),
        "tried": _("What was tried, and what helped"),
        "no_reliefs": _("No reliefs logged."),
        "trials": _("Personal trials"),
        "none_recorded": _("Nothing recorded."),
        "weeks": _("Cramps week by week"),
        "week_start": _("Week starting"),
        "cramps": _("Cramps"),
        "nights_recorded": _("Nights recorded"),
        "per_week": _("Cramps a week"),
        "night_table": _("Night by night"),
        "night_table_note": _(
            "Pain: worst of the night, 0 to 10. Longest: longest logged cramp. Awake: minutes. "
            "Sleep: 1 very poor to 5 very good. Sore: next day, 0 none to 3 severe."
        ),
        "night": _("Night"),
        "pain": _("Pain"),
        "longest": _("Longest"),
        "awake": _("Awake"),
        "sleep": _("Sleep"),
        "sore": _("Sore"),
        "where_short": _("Where"),
        "note": _("Note"),
        "not_recorded": _("not recorded"),
        "continued": _("Continued from page 1"),
        # The template puts the number in place of %(n)d.
        "more_on_page_two": _("%(n)d more on page 2."),
    }


def _text(value: Any) -> str:
    return "–" if value is None else str(value)


def _night_cells(n: Mapping[str, Any], not_recorded: str) -> list[str]:
    if not n["recorded"]:
        return [n["label"], not_recorded]
    return [
        n["label"],
        _text(n["cramps"]),
        _text(n["worst_pain"]),
        n["longest"] or "–",
        _text(n["minutes_awake"]),
        _text(n["sleep_quality"]),
        _text(n["soreness"]),
        n["where"],
        n["note"],
    ]


def typst_inputs(report: Mapping[str, Any], paper: str = "a4") -> dict[str, str]:
    """The ``sys_inputs`` of the template: the report as JSON, and the chart as SVG when drawn."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {PAPERS}, not {paper!r}")
    data = dict(report)
    data["paper"] = paper
    data["labels"] = labels()
    data["footer"] = _("crampwise diary report · %(name)s · %(from)s – %(to)s") % {
        "name": report["patient"]["name"],
        "from": report["range"]["from_display"],
        "to": report["range"]["to_display"],
    }
    # The night table's cells as text, made here: typst is slower at this than Python, and it runs
    # hundreds of times per report.
    data["night_rows"] = [_night_cells(n, data["labels"]["not_recorded"]) for n in report["nights"]]
    data.pop("nights")
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    svg = weekly_svg(report["trend"]["weeks"], report["chart"]["alt"])
    if svg is not None:
        inputs["chart"] = svg
    return inputs


@lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    try:
        import typst
    except ImportError as exc:  # pragma: no cover - typst is a dependency
        raise PdfUnavailable("the typst package is not installed") from exc
    # One compiler keeps the parsed template and the loaded fonts between reports, so only the
    # first report pays for loading them (benchmarks/report_speed.py).
    return typst.Compiler(str(TEMPLATE))


@lru_cache(maxsize=1)
def _supports_ua() -> bool:
    """Whether this typst binding knows PDF/UA-1 (0.13 and later)."""
    import typst

    try:
        typst.compile(
            b'#set document(title: [t])\n#set text(lang: "en")\nt',
            format="pdf",
            pdf_standards=["ua-1"],
        )
    except Exception:
        return False
    return True


def render_pdf(report: Mapping[str, Any], paper: str = "a4") -> bytes:
    """The report as PDF bytes."""
    inputs = typst_inputs(report, paper)
    standards: list[typst.PDFStandard] = ["ua-1"] if _supports_ua() else []
    pdf = _compiler().compile(format="pdf", sys_inputs=inputs, pdf_standards=standards)
    assert isinstance(pdf, bytes)
    return pdf


def page_one_end(report: Mapping[str, Any], paper: str = "a4") -> int:
    """The page on which page one's content ends (1 when it fits): for tests and checks."""
    import typst

    found = json.loads(
        typst.query(
            str(TEMPLATE), "<page-one-end>", field="value", sys_inputs=typst_inputs(report, paper)
        )
    )
    return int(found[0])
