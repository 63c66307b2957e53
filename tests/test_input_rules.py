"""One table of bad values, sent through every way into the diary: the same refusal, nothing written.

The rules live in crampwise/diary/core/limits.py. Each row is a night (or a list) that no diary
can hold; each path (the check-in form, the REST API, a CSV import on the web and on the command
line, a FHIR import on the command line) must refuse it with the rule's own sentence and leave
the database as it was.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from click.testing import CliRunner
from django.urls import reverse

from crampwise.api.tokens import create_token
from crampwise.cli import main
from crampwise.diary import services
from crampwise.diary.core import limits
from crampwise.diary.core.records import FactorSpec, MedicineRecord, NightRecord
from crampwise.diary.models import CustomFactor, Episode, Medicine, Night
from crampwise.interop import PatientData, build_bundle

pytestmark = pytest.mark.django_db

GOOD = date(2024, 3, 1)
NUL = "Woke\x00up"
BELL = "Woke\x07up"
LONG = "x" * (limits.NOTE_MAX + 1)
CONTROL = limits.note_problem(NUL)

# (case, night, fields of the night, the sentence every path must show)
NIGHT_TABLE = [
    ("before 1900", date(1850, 6, 1), {}, "Write a date from 1 January 1900 onwards."),
    ("year 1", date(1, 1, 1), {}, "Write a date from 1 January 1900 onwards."),
    ("future", date(9999, 12, 31), {}, "This date is in the future. Write a date up to today."),
    ("NUL in note", GOOD, {"note": NUL}, CONTROL),
    ("bell in note", GOOD, {"note": BELL}, CONTROL),
    ("over-long note", GOOD, {"note": LONG}, "Write at most 2,000 characters."),
    ("huge number", GOOD, {"minutes_awake": 10**30}, "Write a whole number from 0 to 720."),
    ("negative", GOOD, {"minutes_awake": -5}, "Write a whole number from 0 to 720."),
    ("wrong type", GOOD, {"minutes_awake": "lots"}, "Write a whole number from 0 to 720."),
    (
        "25 hours on one's feet",
        GOOD,
        {"hours_on_feet": 25},
        "Write a number from 0 to 24, such as 2 or 1.5.",
    ),
]
DATES_ONLY = {"before 1900", "year 1", "future"}


@pytest.fixture
def person(django_user_model):
    user = django_user_model.objects.create_user("rule", password="a long enough password 1")
    user.profile.time_zone = "Europe/London"
    user.profile.save()
    return user


def rows(user) -> tuple[int, int, int]:
    return (
        Night.objects.filter(user=user).count(),
        Medicine.objects.filter(user=user).count(),
        CustomFactor.objects.filter(user=user).count(),
    )


def csv_text(night: date, fields: dict) -> str:
    header = ["night", "cramps", "minutes_awake", "hours_on_feet", "note"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([header, [night.isoformat(), "1", *(fields.get(c, "") for c in header[2:])]])
    return out.getvalue()


# The five ways in. Each returns (refused, what the person is shown).


def via_web(client, user, night, fields):
    client.force_login(user)
    form = {"cramps": "1", "note": fields.get("note", "")}
    if "minutes_awake" in fields:
        form["minutes_awake"] = str(fields["minutes_awake"])
    if "hours_on_feet" in fields:
        form["f_hours_on_feet"] = str(fields["hours_on_feet"])
    response = client.post(reverse("night_edit", args=[night.isoformat()]), form)
    if response.status_code == 404:  # an address outside the diary is not found
        return True, None
    return response.status_code == 200, response.content.decode()


def via_api(client, user, night, fields):
    secret = create_token(user, "rules", "read-write")[1]
    body = {k: v for k, v in fields.items() if k != "hours_on_feet"}
    if "hours_on_feet" in fields:
        body["factors"] = {"hours_on_feet": fields["hours_on_feet"]}
    response = client.put(
        f"/api/v1/nights/{night.isoformat()}",
        json.dumps({"cramps": 1, **body}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    return response.status_code == 422, json.dumps(response.json(), ensure_ascii=False)


def via_web_csv(client, user, night, fields):
    client.force_login(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("n.csv", csv_text(night, fields).encode(), "text/csv")
    response = client.post(reverse("import_csv"), {"file": upload})
    return response.status_code == 200, response.content.decode()


def via_cli_csv(tmp_path, user, night, fields):
    path = tmp_path / "n.csv"
    path.write_text(csv_text(night, fields), encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "csv", str(path), "--username", user.username])
    return refused_by_the_cli(result)


def refused_by_the_cli(result) -> tuple[bool, str]:
    """Exit code 1 with a message; a crash also exits with 1, so it must not pass for a refusal."""
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    return result.exit_code == 1 and not crashed, result.output or repr(result.exception)


def via_cli_fhir(tmp_path, user, night, fields, medicines=(), specs=()):
    factors = {k: float(v) for k, v in fields.items() if k == "hours_on_feet"}
    # Written as the text of the file, since the FHIR builder itself drops control characters.
    note = fields.get("note", "")
    record = NightRecord(
        night,
        1,
        minutes_awake=fields.get("minutes_awake"),
        note="NOTE-HERE" if note else "",
        factors=factors,
    )
    data = PatientData(
        username=user.username,
        birth_year=None,
        sex=None,
        time_zone="Europe/London",
        nights=(record,),
        episodes=(),
        medicines=tuple(medicines),
        factor_specs=tuple(specs),
    )
    bundle = build_bundle(data, "collection", generated_at=datetime(2026, 1, 1, tzinfo=UTC))
    path = tmp_path / "b.json"
    text = json.dumps(bundle, ensure_ascii=False).replace('"NOTE-HERE"', json.dumps(note))
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["import", "fhir", str(path), "--username", user.username])
    return refused_by_the_cli(result)


PATHS = {"web": via_web, "api": via_api, "web_csv": via_web_csv}
CLI_PATHS = {"cli_csv": via_cli_csv, "cli_fhir": via_cli_fhir}


# A FHIR bundle built from records cannot carry a string count: that one pair is not a case.
PATH_CASES = [
    pytest.param(path, *row, id=f"{row[0]}-{path}")
    for row in NIGHT_TABLE
    for path in (*PATHS, *CLI_PATHS)
    if not (path == "cli_fhir" and row[0] == "wrong type")
]


@pytest.mark.parametrize(("path", "case", "night", "fields", "message"), PATH_CASES)
def test_every_way_in_refuses_the_same_bad_night_in_the_same_words(
    client, tmp_path, person, path, case, night, fields, message
):
    """The same bad value: refused with the rule's sentence on every path, and no row written."""
    before = rows(person)
    if path in PATHS:
        refused, shown = PATHS[path](client, person, night, fields)
    else:
        refused, shown = CLI_PATHS[path](tmp_path, person, night, fields)
    assert rows(person) == before
    assert refused, shown
    if shown is not None:  # None: the web address of such a night is not found (404)
        assert message in shown.replace("&#x27;", "'").replace("&quot;", '"'), shown
    else:
        assert case in DATES_ONLY


def test_a_good_night_goes_in_on_every_path(client, tmp_path, person):
    """The control row: the table's paths do write when nothing is wrong."""
    for n, path in enumerate(["web", "api", "web_csv"]):
        PATHS[path](client, person, GOOD + timedelta(days=n), {"note": "fine\n=2"})
    via_cli_csv(tmp_path, person, GOOD + timedelta(days=3), {"note": "ok"})
    via_cli_fhir(tmp_path, person, GOOD + timedelta(days=4), {"note": "ok"})
    assert Night.objects.filter(user=person).count() == 5


def test_too_many_own_factors_are_refused_on_every_path(client, tmp_path, person):
    """50 own factors at most: the 51st is refused by the form, the API, CSV and FHIR alike."""
    CustomFactor.objects.bulk_create(
        CustomFactor(user=person, name=f"f{i}", label=f"F {i}") for i in range(50)
    )
    message = limits.too_many_factors(50)
    client.force_login(person)
    web = client.post(reverse("factors"), {"label": "Coffee", "name": "coffee", "kind": "yes_no"})
    assert message in web.content.decode()
    secret = create_token(person, "rules", "read-write")[1]
    api = client.post(
        "/api/v1/factors",
        {"name": "coffee", "label": "Coffee"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 422 and message in json.dumps(api.json(), ensure_ascii=False)
    path = tmp_path / "n.csv"
    path.write_text("night,cramps,coffee\n2024-03-01,1,yes\n", encoding="utf-8")
    cli = CliRunner().invoke(main, ["import", "csv", str(path), "--username", person.username])
    assert cli.exit_code == 1 and message in cli.output
    refused, shown = via_cli_fhir(
        tmp_path, person, GOOD, {}, specs=[FactorSpec("coffee", "yes_no", "Coffee")]
    )
    assert refused and message in shown
    assert CustomFactor.objects.filter(user=person).count() == 50
    assert not Night.objects.filter(user=person).exists()


def test_a_3000_column_csv_makes_no_factors(person):
    """The attack of the issue: a header of 3,000 unknown columns is refused, not 3,000 questions."""
    header = ",".join(["night", "cramps", *(f"c{i}" for i in range(3000))])
    parsed = services.import_csv(person, header + "\n2024-03-01,1\n")
    assert not parsed.ok and limits.too_many_factors(0, 3000) in str(parsed.problems[0])
    assert rows(person) == (0, 0, 0)


MEDICINE_TABLE = [
    ("started in year 1", {"started": "0001-01-01"}, "Write a date from 1 January 1900 onwards."),
    ("stopped in 9999", {"stopped": "9999-12-31"}, "This date is in the future."),
    ("NUL in name", {"name": "Mag\x00nesium"}, limits.text_problem("\x00", 5)),
    ("over-long name", {"name": "M" * 121}, "Write at most 120 characters."),
]


@pytest.mark.parametrize(
    ("case", "fields", "message"), MEDICINE_TABLE, ids=[r[0] for r in MEDICINE_TABLE]
)
def test_every_way_in_refuses_the_same_bad_medicine(
    client, tmp_path, person, case, fields, message
):
    """Medicines: the web form, the API and a FHIR import refuse alike and write nothing."""
    body = {"name": "Magnesium", "purpose": "other", **fields}
    client.force_login(person)
    web = client.post(reverse("medicines"), body)
    assert message in web.content.decode().replace("&#x27;", "'")
    secret = create_token(person, "rules", "read-write")[1]
    api = client.post(
        "/api/v1/medicines",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 422 and message in json.dumps(api.json(), ensure_ascii=False)
    record = MedicineRecord(
        body["name"],
        started=date.fromisoformat(body["started"]) if "started" in body else None,
        stopped=date.fromisoformat(body["stopped"]) if "stopped" in body else None,
    )
    refused, shown = via_cli_fhir(tmp_path, person, GOOD, {}, medicines=[record])
    if "NUL" in case:
        # Writing FHIR drops control characters, so the file holds a clean name: that is taken.
        assert not refused
        names = list(Medicine.objects.filter(user=person).values_list("name", flat=True))
        assert len(names) == 1 and "\x00" not in names[0]
    else:
        assert refused and message in shown
        assert not Medicine.objects.filter(user=person).exists()


def test_too_many_medicines_are_refused(client, person):
    """200 medicines at most, by the form and by the API."""
    Medicine.objects.bulk_create(Medicine(user=person, name=f"M{i}") for i in range(200))
    message = limits.too_many_medicines(200)
    client.force_login(person)
    assert (
        message
        in client.post(reverse("medicines"), {"name": "X", "purpose": "other"}).content.decode()
    )
    secret = create_token(person, "rules", "read-write")[1]
    api = client.post(
        "/api/v1/medicines",
        {"name": "X"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert api.status_code == 422 and message in json.dumps(api.json(), ensure_ascii=False)
    assert Medicine.objects.filter(user=person).count() == 200


@pytest.mark.parametrize("started", [date(1, 1, 1), date(9999, 12, 31)])
def test_a_stored_date_at_the_ends_of_the_calendar_breaks_no_page(client, person, started):
    """A medicine written before these rules (straight to the database) leaves insights, the report
    and its PDF working: date arithmetic is held inside the calendar."""
    services.save_night(person, services.last_night(person), reported_cramps=2)
    Medicine.objects.create(user=person, name="Old pills", started=started)
    client.force_login(person)
    for name in ("insights", "report", "report_pdf"):
        assert client.get(reverse(name)).status_code == 200, name


def test_a_cramp_before_the_persons_birth_year_is_refused_in_the_diarys_words(client, person):
    """Episodes follow the same window as nights: from the birth year when it is known."""
    person.profile.birth_year = 1950
    person.profile.save()
    secret = create_token(person, "rules", "read-write")[1]

    def post(started: str):
        return client.post(
            "/api/v1/episodes",
            json.dumps({"id": str(uuid.uuid4()), "started_at": started}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )

    refused = post("1940-06-01T03:00:00Z")
    assert refused.status_code == 422
    assert "Write a date from 1950 onwards, the year you were born." in refused.content.decode()
    assert not Episode.objects.filter(user=person).exists()
    assert post("1960-06-01T03:00:00Z").status_code == 201
