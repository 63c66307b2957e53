"""The relief guide's own SVG line drawings: present, titled, accessible and self-contained."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from crampwise.core.knowledge import illustration_svg, load_relief_guide
from crampwise.core.knowledge.loader import illustration_names

SVG = "{http://www.w3.org/2000/svg}"


def referenced():
    guide = load_relief_guide()
    return sorted({item.illustration for item in (*guide.muscles, *guide.techniques)})


def test_every_illustration_file_is_used_by_the_relief_guide():
    """No stray drawings, and no drawing the guide needs is missing."""
    assert set(referenced()) == illustration_names()


@pytest.mark.parametrize("name", referenced())
def test_each_illustration_has_a_title_first_and_a_description(name):
    """Screen readers get a title as the first child and a longer description."""
    root = ET.fromstring(illustration_svg(name))
    assert root.tag == f"{SVG}svg"
    children = list(root)
    assert children[0].tag == f"{SVG}title" and children[0].text.strip()
    assert children[1].tag == f"{SVG}desc" and children[1].text.strip()
    assert root.get("role") == "img"
    assert root.get("viewBox")
    labelled_by = root.get("aria-labelledby").split()
    assert labelled_by == [children[0].get("id"), children[1].get("id")]


@pytest.mark.parametrize("name", referenced())
def test_each_illustration_is_a_plain_line_drawing(name):
    """No scripts, images, external links or fixed colours: night mode can restyle it."""
    text = illustration_svg(name)
    root = ET.fromstring(text)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "g",
    }
    assert "href" not in text and "<script" not in text
    assert root.get("stroke") == "currentColor"
    assert "#" not in text.replace("&#", "")
