"""`crampwise token ...`: personal access tokens for the REST API (docs/api.md)."""

from __future__ import annotations

import json

import click

SCOPES = ("read", "read-write")


@click.group()
def token() -> None:
    """Make, list and revoke personal access tokens for the REST API."""


@token.command("create")
@click.option("--username", required=True)
@click.option(
    "--name", default="command line", show_default=True, help="Where the token will be used."
)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="read",
    show_default=True,
    help="What the token may do.",
)
def create(username: str, name: str, scope: str) -> None:
    """Make a token and print it once, alone on the last line (it is stored only as a hash)."""
    from crampwise.cli import get_user, migrate_quietly, setup_django

    setup_django()
    from crampwise.api.tokens import create_token

    name = name.strip() or "command line"
    if len(name) > 80 or "\x00" in name:
        raise click.ClickException("the name must be at most 80 characters of text")
    migrate_quietly()
    made, secret = create_token(get_user(username), name, scope)
    click.echo(f"created {scope} token {made.pk} ({made.name}) for {username}")
    click.echo("copy it now: it is not shown again", err=True)
    click.echo(secret)


@token.command("list")
@click.option("--username", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as JSON.")
def list_tokens(username: str, as_json: bool) -> None:
    """List a person's tokens (never the secrets): id, name, scope, dates."""
    from crampwise.cli import get_user, migrate_quietly, setup_django

    setup_django()
    from crampwise.api.models import AccessToken

    migrate_quietly()
    rows = [
        {
            "id": str(t.pk),
            "name": t.name,
            "scope": t.scope,
            "starts_with": t.prefix,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in AccessToken.objects.filter(user=get_user(username))
    ]
    if as_json:
        click.echo(json.dumps(rows))
        return
    if not rows:
        click.echo(f"{username} has no tokens")
    for r in rows:
        state = (
            f"revoked {r['revoked_at'][:10]}"
            if r["revoked_at"]
            else f"last used {(r['last_used_at'] or 'never')[:16]}"
        )
        click.echo(f"{r['id']}  {r['scope']:<10}  {r['starts_with']}…  {r['name']}  ({state})")


@token.command("revoke")
@click.argument("token_id")
@click.option("--username", required=True)
def revoke(token_id: str, username: str) -> None:
    """Revoke one of a person's tokens by its id (see `crampwise token list`)."""
    import uuid

    from crampwise.cli import get_user, migrate_quietly, setup_django

    setup_django()
    from crampwise.api.tokens import revoke_token

    migrate_quietly()
    try:
        parsed = uuid.UUID(token_id)
    except ValueError:
        raise click.ClickException(
            f"{token_id!r} is not a token id; see `crampwise token list`"
        ) from None
    if not revoke_token(get_user(username), parsed):
        raise click.ClickException(f"{username} has no active token {token_id}")
    click.echo(f"revoked token {parsed}")
