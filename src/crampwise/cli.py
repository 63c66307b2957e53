"""The `crampwise` command: the web server, accounts, demo data, import and export."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crampwise.settings")
    import django

    django.setup()


def migrate_quietly() -> None:
    """Bring the database schema up to date, so any command works on a fresh data dir."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def get_user(username: str):
    from django.contrib.auth import get_user_model

    try:
        return get_user_model().objects.get(username=username)
    except get_user_model().DoesNotExist:
        raise click.ClickException(f"there is no user called {username!r}") from None


class FeatureGroup(click.Group):
    """A group that also offers commands living beside their feature (FEATURE/cli.py).

    They are imported only when asked for, so `crampwise --help` stays fast and a feature module
    may import this one without an import cycle.
    """

    def __init__(self, *args, features: dict[str, tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.features = features or {}

    def _feature(self, name: str) -> click.Command | None:
        if name not in self.features:
            return None
        import importlib

        module_name, attr = self.features[name]
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # that feature has not landed
            raise
        command = getattr(module, attr, None)
        return command if isinstance(command, click.Command) else None

    def list_commands(self, ctx) -> list[str]:
        return sorted(
            set(super().list_commands(ctx)) | {n for n in self.features if self._feature(n)}
        )

    def get_command(self, ctx, name):
        return super().get_command(ctx, name) or self._feature(name)


MAIN_FEATURES = {
    "trial": ("crampwise.trials.cli", "trial"),
    "assess": ("crampwise.guidance.cli", "assess"),
    "insights": ("crampwise.insights.cli", "insights"),
    "token": ("crampwise.api.cli", "token"),
    "share": ("crampwise.clinician.cli", "share"),
    "audit": ("crampwise.clinician.cli", "audit"),
    "report": ("crampwise.clinician.cli", "report"),
    "worker": ("crampwise.reminders.cli", "worker"),
}


@click.group(
    cls=FeatureGroup,
    features=MAIN_FEATURES,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(package_name="crampwise")
def main() -> None:
    """crampwise: a night diary, insights and personal trials for nocturnal leg cramps."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=None, type=int, help="Worker processes (default: CRAMPWISE_WORKERS or 2)."
)
@click.option("--no-migrate", is_flag=True, help="Do not apply database migrations first.")
@click.option(
    "--no-worker", is_flag=True, help="Do not start a `crampwise worker` (reminders, tasks)."
)
def serve(host: str, port: int, workers: int | None, no_migrate: bool, no_worker: bool) -> None:
    """Apply migrations and serve the web app with a production HTTP server (gunicorn)."""
    setup_django()
    from django.conf import settings

    from crampwise.backup import BackupError, serving
    from crampwise.server import run

    try:
        # Held until the server stops, so `crampwise restore` cannot swap the database beneath it.
        with serving(settings.DATA_DIR):
            if not no_migrate:
                migrate_quietly()
            workers = workers or int(os.environ.get("CRAMPWISE_WORKERS", "2"))
            click.echo(f"crampwise is serving on http://{host}:{port}/ (press Ctrl+C to stop)")
            background = None if no_worker else start_worker()
            try:
                run(host, port, workers)
            finally:
                if background is not None:
                    stop_worker(background)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None


def start_worker():
    """One `crampwise worker` beside the server, in its own session so it stops only when told."""
    import subprocess

    command = [sys.executable, "-m", "crampwise.cli", "worker", "--no-migrate"]
    command += ["--parent-pid", str(os.getpid())]
    return subprocess.Popen(command, start_new_session=True)


def stop_worker(child) -> None:
    import signal
    import subprocess

    if child.poll() is None:
        child.send_signal(signal.SIGTERM)
    try:
        child.wait(timeout=60)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


@main.group()
def user() -> None:
    """Manage accounts."""


class ZoneName(click.ParamType):
    """A canonical IANA time zone such as Europe/London (old aliases are named, not guessed)."""

    name = "ZONE"

    def convert(self, value, param, ctx):
        from crampwise.core.zones import canonical, zone_table

        table = zone_table()
        if value in table.zones:
            return value
        target = canonical(value, table)
        if target is not None:
            self.fail(f"{value!r} is an old alias; use its current name {target!r}", param, ctx)
        self.fail(
            f"{value!r} is not a time zone; use an Area/City name such as Europe/London "
            "or America/New_York",
            param,
            ctx,
        )


@user.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--clinician", is_flag=True, help="Make this a clinician account.")
@click.option("--email", default="", help="Email address (optional).")
@click.option(
    "--time-zone",
    type=ZoneName(),
    required=True,
    help="The person's time zone, such as Europe/London: their nights and times follow it.",
)
def user_add(
    username: str, password_stdin: bool, clinician: bool, email: str, time_zone: str
) -> None:
    """Create an account (prompts for the password unless --password-stdin)."""
    setup_django()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.db import transaction

    migrate_quietly()
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise click.ClickException(f"the user {username!r} exists already")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    candidate = User(username=username, email=email)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise click.ClickException(
            "the password is not accepted: " + " ".join(exc.messages)
        ) from None
    with transaction.atomic():
        account = User.objects.create_user(username=username, email=email, password=password)
        account.profile.is_clinician = clinician
        account.profile.time_zone = time_zone
        account.profile.save(update_fields=["is_clinician", "time_zone"])
    kind = "clinician" if clinician else "patient"
    click.echo(f"created {kind} account {username} (time zone {time_zone})")


@main.command()
@click.option(
    "--username", default=None, help="Account name (default: demo; clinic with --clinic)."
)
@click.option(
    "--password", default=None, help="Password for a new demo account (default: crampwise-demo)."
)
@click.option("--nights", default=365, show_default=True, type=click.IntRange(1, 20000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--time-zone", type=ZoneName(), default="Europe/London", show_default=True)
@click.option(
    "--clinic",
    type=click.IntRange(1, 100000),
    default=None,
    help="Make a clinician USERNAME and this many patients USERNAME-1... who share with them.",
)
def demo(
    username: str | None,
    password: str | None,
    nights: int,
    seed: int,
    time_zone: str,
    clinic: int | None,
) -> None:
    """Create (or refill) an account with a realistic made-up diary, or a whole clinic."""
    setup_django()
    if clinic is not None:
        from crampwise.clinician.demo_clinic import demo_clinic_command

        demo_clinic_command(username or "clinic", password, clinic, nights, seed, time_zone)
        return
    username = username or "demo"
    from crampwise.diary.demo_loader import load_demo

    migrate_quietly()
    password = password or "crampwise-demo"
    with click.progressbar(length=nights, label="Writing demo nights", file=sys.stderr) as bar:
        account, created = load_demo(
            username, password, nights, seed, time_zone, progress=bar.update
        )
    verb = "created" if created else "refilled"
    click.echo(
        f"{verb} {account.username} with {nights} nights (password: {password if created else 'unchanged'})"
    )


@main.group(
    "export", cls=FeatureGroup, features={"fhir": ("crampwise.diary.fhir_commands", "export_fhir")}
)
def export_group() -> None:
    """Export a diary."""


@export_group.command("csv")
@click.option("--username", required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output).",
)
def export_csv(username: str, out: str | None) -> None:
    """Write the nightly CSV of a diary."""
    setup_django()
    from crampwise.diary import services

    text = services.export_csv(get_user(username))
    if out:
        with open(out, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


@main.group(
    "import", cls=FeatureGroup, features={"fhir": ("crampwise.diary.fhir_commands", "import_fhir")}
)
def import_group() -> None:
    """Import into a diary."""


@import_group.command("csv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--username", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_csv(file: str, username: str, as_json: bool) -> None:
    """Import a nightly CSV: all of it, or nothing when any line is wrong."""
    setup_django()
    from crampwise.diary import services

    account = get_user(username)
    try:
        with open(file, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: the file is not UTF-8 text") from None
    result = services.import_csv(account, text)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "file": file,
                    "imported": len(result.nights) if result.ok else 0,
                    "problems": [
                        {"line": p.line, "column": p.column, "message": p.message}
                        for p in result.problems
                    ],
                }
            )
        )
    if not result.ok:
        if not as_json:
            for p in result.problems:
                click.echo(f"{file}: {p}", err=True)
            click.echo(f"{file}: nothing was imported ({len(result.problems)} problems)", err=True)
        sys.exit(1)
    if not as_json:
        click.echo(f"imported {len(result.nights)} nights into {username}")


@main.command("backup")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True),
    help="Backup file to write.",
)
def backup_command(out: str) -> None:
    """Back up the whole database, consistently, while the server runs."""
    setup_django()
    from crampwise.backup import BackupError, backup

    with click.progressbar(length=1, label="Backing up", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        try:
            engine = backup(Path(out), progress)
        except BackupError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"wrote {engine} backup to {out}")


@main.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(file: str, yes: bool) -> None:
    """Replace the database with a backup; refused while `crampwise serve` runs."""
    setup_django()
    from django.conf import settings

    from crampwise.backup import BackupError, no_server_running, restore

    try:
        with no_server_running(settings.DATA_DIR):
            if not yes:
                click.confirm(
                    "This replaces every diary in the database with the backup. Continue?",
                    abort=True,
                )
            engine = restore(Path(file))
            migrate_quietly()  # a backup from an older version is brought up to date
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored {engine} backup from {file}")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run one of Django's management commands (crampwise manage migrate, check --deploy, ...)."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["crampwise manage", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
