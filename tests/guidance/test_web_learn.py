"""Learn pages, remedies and sources: rendered from the evidence base, every statement cited."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from crampwise.core.knowledge import evidence_info, load_learn_pages, load_remedies, load_sources
from crampwise.guidance.views import slug_of

pytestmark = pytest.mark.django_db


def page(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def cited_keys(html: str) -> list[str]:
    return re.findall(r'href="/learn/sources/#src-([a-z0-9_]+)"', html)


def test_the_index_links_every_section_the_remedies_and_the_sources(client):
    """One link per learn section, in the data's order, plus remedies and sources."""
    html = page(client, "learn")
    for section in load_learn_pages():
        assert f'href="{reverse("learn_section", args=[slug_of(section.id)])}"' in html
        assert escape(section.title) in html
    assert reverse("learn_remedies") in html and reverse("learn_sources") in html


@pytest.mark.parametrize("section", load_learn_pages(), ids=lambda s: s.id)
def test_each_section_shows_every_statement_with_its_citations(client, section):
    """Every statement appears, followed by links to each of its sources."""
    html = page(client, "learn_section", slug_of(section.id))
    assert re.search(rf"<h1>{re.escape(escape(section.title))}</h1>", html)
    for statement in section.statements:
        assert escape(statement.text) in html
        after = html.split(escape(statement.text), 1)[1].split("</p>", 1)[0]
        assert cited_keys(after) == list(statement.sources)


def test_learn_pages_show_the_evidence_version_and_review_dates(client):
    """As a factsheet shows its revision: version, last reviewed, review status."""
    info = evidence_info()
    section = load_learn_pages()[0]
    html = page(client, "learn_section", slug_of(section.id))
    assert f"Evidence base version {info.version}" in html
    assert info.last_reviewed.strftime("%-d %B %Y") in html
    assert f"This page was last reviewed on {section.last_reviewed:%-d %B %Y}" in html
    assert escape(info.review_status) in html


def test_an_unknown_section_is_404(client):
    """Only sections of the evidence base have pages."""
    assert client.get(reverse("learn_section", args=["no-such-topic"])).status_code == 404


def test_every_citation_points_at_an_anchor_on_the_sources_page(client):
    """Links from learn pages and remedies land on a source that is listed there."""
    sources_html = page(client, "learn_sources")
    anchors = set(re.findall(r'<li id="src-([a-z0-9_]+)"', sources_html))
    assert anchors == set(load_sources())
    cited = set()
    for section in load_learn_pages():
        cited |= set(cited_keys(page(client, "learn_section", slug_of(section.id))))
    cited |= set(cited_keys(page(client, "learn_remedies")))
    assert cited and cited <= anchors


def test_the_sources_page_numbers_sources_as_the_citations_do(client):
    """The number in a citation link is the source's place in the list."""
    keys = list(load_sources())
    html = page(client, "learn_section", "what-it-is")
    for key, number in re.findall(
        r'href="/learn/sources/#src-([a-z0-9_]+)"><span class="visually-hidden">source </span>(\d+)</a>',
        html,
    ):
        assert keys.index(key) + 1 == int(number)


def test_the_remedies_page_shows_each_remedy_with_grade_verdict_and_safety(client):
    """Every remedy appears with its evidence grade in words and its safety notes."""
    html = page(client, "learn_remedies")
    for remedy in load_remedies().values():
        block = html.split(f'id="remedy-{remedy.id}"', 1)[1].split("</section>", 1)[0]
        assert escape(remedy.name) in block
        assert "How sure the research is" in block and "What it shows" in block
        for statement in remedy.safety:
            assert escape(statement.text) in block


def test_quinine_carries_its_warning_and_is_never_offered_as_a_trial(client):
    """The harm outweighs the benefit, it says so, and it is not for a personal trial."""
    html = page(client, "learn_remedies")
    block = html.split('id="remedy-quinine"', 1)[1].split("</section>", 1)[0]
    assert "remedy-harmful" in html.split('id="remedy-quinine"', 1)[0].rsplit("<section", 1)[1]
    assert "The harms are greater than any benefit" in block
    assert "Not for a personal trial." in block
    assert "Never start, take or test quinine on your own." in block
    assert 'href="#remedy-quinine"' in html


def test_learn_text_goes_through_gettext_at_display_time(client, monkeypatch):
    """A translation catalogue can replace the evidence base's English text when shown."""
    section = load_learn_pages()[0]
    original = translation.gettext

    def fake(message):
        return "TRANSLATED" if message == section.statements[0].text else original(message)

    monkeypatch.setattr("crampwise.guidance.templatetags.guidance_tags._", fake)
    html = page(client, "learn_section", slug_of(section.id))
    assert "TRANSLATED" in html and escape(section.statements[0].text) not in html
