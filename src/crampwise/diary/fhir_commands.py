"""`crampwise export fhir` and `crampwise import fhir`: the Django side of the pure FHIR core in interop/."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta

import click

from crampwise.cli import get_user, migrate_quietly, setup_django


def patient_data_for(user):
    """Everything of one person's diary as the pure core's PatientData."""
    from crampwise.diary import services
    from crampwise.interop import PatientData

    profile = user.profile
    return PatientData(
        username=user.username,
        birth_year=profile.birth_year,
        sex=profile.sex or None,
        time_zone=profile.time_zone,
        nights=services.load_nights(user),
        episodes=services.load_episodes(user),
        medicines=services.load_medicines(user),
        factor_specs=services.factor_specs(user),
    )


class ImportRefused(ValueError):
    """The file holds records the diary cannot take (diary/core/limits.py); nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def check_import(user, result) -> set[tuple[str, date | None]]:
    """Refuse the whole import when any record breaks the diary's one set of rules.

    Returns the person's medicines as (name, started), which the import reads anyway.
    """
    from crampwise.diary import services
    from crampwise.diary.core import limits
    from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES
    from crampwise.diary.models import CustomFactor, Medicine

    mine = set(CustomFactor.objects.filter(user=user).values_list("name", flat=True))
    have = set(Medicine.objects.filter(user=user).values_list("name", "started"))
    new_factors = [
        f.name
        for f in result.factor_specs
        if f.name not in BUILTIN_FACTOR_NAMES and f.name not in mine
    ]
    kinds = {f.name: f.kind for f in result.factor_specs}
    problems = limits.import_problems(
        window=services.night_window(user),
        medicine_window=services.date_window(user),
        kinds=kinds,
        nights=result.nights,
        episodes=result.episodes,
        medicines=result.medicines,
        new_factor_names=new_factors,
        factors_before=len(mine),
        new_medicines=len({(m.name, m.started) for m in result.medicines} - have),
        medicines_before=len(have),
    )
    if problems:
        raise ImportRefused(problems)
    return have


def store_import(user, result) -> dict:
    """Write an ImportResult into a diary in one transaction; episodes already present are kept once.

    Raises ImportRefused, writing nothing, when a record breaks the diary's rules.
    """
    from django.db import transaction

    from crampwise.diary import services
    from crampwise.diary.core.factors import BUILTIN_FACTOR_NAMES
    from crampwise.diary.models import Episode, Medicine

    custom = [f for f in result.factor_specs if f.name not in BUILTIN_FACTOR_NAMES]
    with transaction.atomic():
        # Checked inside the transaction, so the counts it checks are the ones written against.
        have = check_import(user, result)
        services.import_records(user, result.nights, custom)
        known = set(Episode.objects.filter(user=user).values_list("started_at", flat=True))
        new_episodes = [
            Episode(
                user=user,
                night=e.night,
                started_at=e.started_at,
                ended_at=(
                    None
                    if e.duration_seconds is None
                    else e.started_at + timedelta(seconds=e.duration_seconds)
                ),
                muscle=e.muscle or "",
                side=e.side or "",
                pain=e.pain,
                reliefs=list(e.reliefs),
            )
            for e in result.episodes
            if e.started_at not in known
        ]
        Episode.objects.bulk_create(new_episodes)
        for night in {e.night for e in new_episodes}:
            services.sync_episode_count(user, night)
        new_medicines = [
            Medicine(
                user=user,
                name=m.name,
                dose=m.dose,
                started=m.started,
                stopped=m.stopped,
                purpose=m.purpose,
            )
            for m in result.medicines
            if (m.name, m.started) not in have
        ]
        Medicine.objects.bulk_create(new_medicines)
    return {
        "nights": len(result.nights),
        "episodes": len(new_episodes),
        "medicines": len(new_medicines),
        "skipped": [
            {"entry": s.index, "resource": s.resource_type, "reason": s.reason}
            for s in result.skipped
        ],
    }


@click.command("fhir")
@click.option("--username", required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="File to write (default: standard output).",
)
@click.option(
    "--transaction",
    "as_transaction",
    is_flag=True,
    help="Write a transaction bundle for posting to a FHIR server.",
)
@click.option(
    "--validate/--no-validate",
    default=False,
    help="Check the bundle against the FHIR R4 models and JSON schema first.",
)
def export_fhir(username: str, out: str | None, as_transaction: bool, validate: bool) -> None:
    """Write a diary as a FHIR R4 Bundle (collection, or transaction)."""
    setup_django()
    from django.utils import timezone

    from crampwise.interop import build_bundle, validate_bundle

    bundle = build_bundle(
        patient_data_for(get_user(username)),
        "transaction" if as_transaction else "collection",
        generated_at=timezone.now(),
    )
    if validate:
        problems = validate_bundle(bundle)
        if problems:
            raise click.ClickException(
                "the bundle is not valid FHIR R4: " + "; ".join(problems[:5])
            )
    text = json.dumps(bundle, indent=1, ensure_ascii=False)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"wrote {out} ({len(bundle.get('entry', []))} resources)", err=True)
    else:
        click.echo(text)


@click.command("fhir")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--username", required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_fhir(file: str, username: str, as_json: bool) -> None:
    """Read a FHIR Bundle (ours, or another app's Observations with the same codes) into a diary."""
    setup_django()
    from crampwise.interop import FhirImportError, read_bundle

    migrate_quietly()
    user = get_user(username)
    try:
        with open(file, "rb") as handle:
            result = read_bundle(handle.read(), time_zone=user.profile.time_zone)
    except FhirImportError as exc:
        raise click.ClickException(f"{file}: {exc}") from None
    try:
        summary = store_import(user, result)
    except ImportRefused as exc:
        for problem in exc.problems[:50]:
            click.echo(f"{file}: {problem}", err=True)
        raise click.ClickException(
            f"{file}: nothing was imported ({len(exc.problems)} problems)"
        ) from None
    if as_json:
        click.echo(json.dumps({"file": file, **summary}))
        return
    click.echo(
        f"imported {summary['nights']} nights, {summary['episodes']} episodes and "
        f"{summary['medicines']} medicines into {username}"
    )
    for s in summary["skipped"]:
        click.echo(f"{file}: skipped entry {s['entry']} ({s['resource']}): {s['reason']}", err=True)
    sys.stdout.flush()
