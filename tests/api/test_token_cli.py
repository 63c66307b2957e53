"""`crampwise token create|list|revoke`."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from crampwise.api.models import AccessToken
from crampwise.api.tokens import hash_token
from crampwise.cli import main
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def runner():
    return CliRunner()


def test_create_prints_the_token_alone_on_its_last_line(runner, owner, client):
    """The last line is the token, and it works as a read-write token."""
    result = runner.invoke(
        main,
        ["token", "create", "--username", "alice", "--name", "backup", "--scope", "read-write"],
    )
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert AccessToken.objects.get(token_hash=hash_token(secret)).name == "backup"
    assert (
        client.put(
            "/api/v1/nights/2026-11-20",
            {"cramps": 1},
            content_type="application/json",
            headers=bearer(secret),
        ).status_code
        == 200
    )


def test_tokens_are_read_only_unless_asked(runner, owner):
    """The default scope is read."""
    runner.invoke(main, ["token", "create", "--username", "alice"])
    assert AccessToken.objects.get(user=owner).scope == "read"


def test_list_shows_tokens_without_their_secrets(runner, owner):
    """--json lists id, name, scope and dates, never the token."""
    made = runner.invoke(main, ["token", "create", "--username", "alice"])
    secret = made.output.strip().splitlines()[-1]
    listed = runner.invoke(main, ["token", "list", "--username", "alice", "--json"])
    rows = json.loads(listed.stdout)
    assert len(rows) == 1 and rows[0]["scope"] == "read" and rows[0]["revoked_at"] is None
    assert secret not in listed.output
    plain = runner.invoke(main, ["token", "list", "--username", "alice"])
    assert rows[0]["id"] in plain.output and secret not in plain.output


def test_revoke_stops_a_token(runner, owner, client):
    """A revoked token is refused by the API; revoking twice is an error."""
    made = runner.invoke(main, ["token", "create", "--username", "alice"])
    secret = made.output.strip().splitlines()[-1]
    token_id = str(AccessToken.objects.get(user=owner).pk)
    assert runner.invoke(main, ["token", "revoke", token_id, "--username", "alice"]).exit_code == 0
    assert client.get("/api/v1/nights", headers=bearer(secret)).status_code == 401
    again = runner.invoke(main, ["token", "revoke", token_id, "--username", "alice"])
    assert again.exit_code != 0 and "no active token" in again.output


def test_nobody_can_revoke_another_persons_token(runner, owner, other_patient):
    """The id must belong to --username."""
    runner.invoke(main, ["token", "create", "--username", "alice"])
    token_id = str(AccessToken.objects.get(user=owner).pk)
    result = runner.invoke(main, ["token", "revoke", token_id, "--username", "bob"])
    assert result.exit_code != 0 and AccessToken.objects.get(pk=token_id).active


def test_unknown_people_and_bad_ids_are_errors(runner, owner):
    """Mistakes get a message, not a traceback."""
    nobody = runner.invoke(main, ["token", "create", "--username", "zed"])
    assert nobody.exit_code != 0 and "no user called" in nobody.output
    bad = runner.invoke(main, ["token", "revoke", "12", "--username", "alice"])
    assert bad.exit_code != 0 and "not a token id" in bad.output
