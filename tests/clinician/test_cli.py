"""`crampwise report`, `crampwise share` and `crampwise audit`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampwise.cli import main
from crampwise.clinician.models import AccessEvent, ShareLink
from crampwise.clinician.tokens import hash_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


def test_report_writes_one_pdf_and_audits_it_as_a_command_line_view(runner, tmp_path, alice_diary):
    """A PDF file, and one audit row via the command line."""
    out = tmp_path / "alice.pdf"
    result = runner.invoke(
        main, ["report", "--username", "alice", "--paper", "us-letter", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert [(e.via, e.what) for e in AccessEvent.objects.filter(patient=alice_diary)] == [
        ("command_line", "pdf")
    ]


def test_report_for_all_patients_skips_clinicians_and_empty_diaries(
    runner, tmp_path, alice_diary, other_patient, clinician
):
    """One PDF per patient with a night, a progress bar on standard error."""
    result = runner.invoke(main, ["report", "--all-patients", "--out-dir", str(tmp_path / "pdfs")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pdfs").iterdir()) == ["alice.pdf"]
    assert "Writing reports" in result.output and "wrote 1 reports" in result.output


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--username", "alice"],
        ["--all-patients"],
        ["--username", "alice", "--all-patients", "--out", "x.pdf"],
        ["--username", "alice", "--out", "x.pdf", "--from", "2026-02-01", "--to", "2026-01-01"],
        ["--username", "alice", "--out", "x.pdf", "--from", "yesterday"],
    ],
)
def test_report_refuses_incomplete_or_contradictory_options(runner, alice_diary, args):
    """A usage error, and no file."""
    result = runner.invoke(main, ["report", *args])
    assert result.exit_code == 2, result.output


def test_share_create_prints_a_working_url_on_the_site_and_stores_only_its_hash(
    runner, client, alice_diary
):
    """The URL uses SITE_URL; its token opens the report; the database has the hash only."""
    result = runner.invoke(main, ["share", "create", "--username", "alice", "--days", "7"])
    assert result.exit_code == 0, result.output
    url = result.stdout.strip().splitlines()[0]
    assert url.startswith("https://cramps.example/s/")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    link = ShareLink.objects.get(owner=alice_diary)
    assert link.token_hash == hash_token(token)
    assert client.get(url.removeprefix("https://cramps.example")).status_code == 200


def test_share_revoke_all_withdraws_every_link(runner, link, alice_diary):
    """Only with --all."""
    assert runner.invoke(main, ["share", "revoke", "--username", "alice"]).exit_code == 2
    result = runner.invoke(main, ["share", "revoke", "--username", "alice", "--all"])
    assert result.exit_code == 0 and "withdrew 1 link of alice" in result.output
    assert not ShareLink.objects.filter(owner=alice_diary, revoked_at__isnull=True).exists()


def test_audit_prints_the_trail_as_json(runner, client, link, alice_diary):
    """Newest first, with how, what, who and from where."""
    _made, token = link
    client.get(f"/s/{token}/", HTTP_USER_AGENT="Curl/8")
    result = runner.invoke(main, ["audit", "--username", "alice", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 1
    assert {k: rows[0][k] for k in ("via", "what", "who", "ip", "user_agent")} == {
        "via": "share_link",
        "what": "page",
        "who": "Dr Smith",
        "ip": "127.0.0.1",
        "user_agent": "Curl/8",
    }
    plain = runner.invoke(main, ["audit", "--username", "alice"])
    assert "share_link" in plain.output and token not in plain.output
