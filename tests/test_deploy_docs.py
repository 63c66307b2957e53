"""The deployment guide and the files a clinic copies name only settings that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = [ROOT / "docs" / "deploy.md", *sorted((ROOT / "docs" / "deploy").iterdir())]


def test_every_setting_in_the_deployment_guide_exists():
    """A clinic that copies docs/deploy.md or docs/deploy/* sets no variable crampwise ignores."""
    documented = set(
        re.findall(r"`CRAMPWISE_([A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text())
    )
    named = {
        (path.name, name)
        for path in DEPLOY
        for name in re.findall(r"CRAMPWISE_([A-Z_]+)", path.read_text())
    }
    assert named, "the guide names the settings it uses"
    unknown = sorted(f"{file}: CRAMPWISE_{name}" for file, name in named if name not in documented)
    assert unknown == [], unknown


def test_the_guide_links_only_to_files_that_exist():
    """Every relative link of docs/deploy.md opens a file of the repository."""
    text = (ROOT / "docs" / "deploy.md").read_text()
    links = [t for t in re.findall(r"\]\(([^)#]+)\)", text) if "://" not in t]
    missing = [link for link in links if not (ROOT / "docs" / link).exists()]
    assert links and missing == [], missing
