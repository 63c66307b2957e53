"""Every setting and command is documented (docs/settings.md, docs/cli.md)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from crampwise.cli import main

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "crampwise"


def test_every_environment_setting_is_documented():
    """Each CRAMPWISE_* name read in the code appears in docs/settings.md."""
    used = set()
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        used |= set(re.findall(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"", text))
        used |= {m for m in re.findall(r"CRAMPWISE_([A-Z_]+)", text)}
    documented = set(
        re.findall(r"`CRAMPWISE_([A-Z_]+)`", (ROOT / "docs" / "settings.md").read_text())
    )
    assert used - documented == set(), f"undocumented settings: {sorted(used - documented)}"


def walk(group: click.Group, prefix: str = ""):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        full = f"{prefix} {name}".strip()
        if isinstance(command, click.Group):
            yield from walk(command, full)
        else:
            yield full, command


def test_every_cli_command_and_option_is_documented():
    """Each command and each of its long options appear in docs/cli.md."""
    docs = (ROOT / "docs" / "cli.md").read_text()
    missing = []
    for full, command in walk(main):
        if f"crampwise {full}" not in docs:
            missing.append(f"crampwise {full}")
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in docs and opt != "--help":
                    missing.append(f"crampwise {full} {opt}")
    assert not missing, f"undocumented: {missing}"
