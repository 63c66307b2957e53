"""CSV export and import through the web app: lossless, and all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crampwise.diary import services
from crampwise.diary.models import CustomFactor, Night

pytestmark = pytest.mark.django_db

GOOD = (
    "night,cramps,worst_pain,stretched,alcohol_units,late_dinner\n"
    "2026-10-01,2,6,no,3,yes\n"
    "2026-10-02,0,,yes,0,no\n"
    "2026-10-04,1,4,yes,1.5,\n"
)


def upload(client, text, name="nights.csv"):
    return client.post(
        reverse("import_csv"), {"file": SimpleUploadedFile(name, text.encode(), "text/csv")}
    )


def test_a_good_file_is_imported_and_exports_identically(
    owner_client, owner, client, other_patient
):
    """Export, import into another account, export again: the same bytes."""
    assert upload(owner_client, GOOD).status_code == 302
    first = owner_client.get(reverse("export_csv")).content.decode()
    assert "2026-10-01,2,6" in first and "late_dinner" in first.splitlines()[0]
    client.force_login(other_patient)
    assert upload(client, first).status_code == 302
    assert client.get(reverse("export_csv")).content.decode() == first


def test_a_bad_file_imports_nothing_and_lists_every_problem(owner_client, owner):
    """One bad line rejects the file; each problem names its line and column."""
    bad = GOOD + "2026-10-05,lots,,,,\n2026-10-06,1,12,,,\n"
    response = upload(owner_client, bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "line 5, column cramps" in html and "line 6, column worst_pain" in html
    assert not Night.objects.filter(user=owner).exists()
    assert not CustomFactor.objects.filter(user=owner).exists()


def test_a_file_that_is_not_utf8_is_refused_clearly(owner_client):
    """Latin-1 bytes get a message about how to save the file."""
    response = owner_client.post(
        reverse("import_csv"),
        {
            "file": SimpleUploadedFile(
                "x.csv", "night,cramps\n2026-01-01,1 caf\xe9\n".encode("latin-1")
            )
        },
    )
    assert "UTF-8" in response.content.decode()


def test_importing_keeps_episodes_logged_that_night(owner, owner_client):
    """A file that says 1 for a night with 2 logged episodes keeps 2 (the reconciliation rule)."""
    from datetime import UTC, datetime

    services.log_episode(owner, started_at=datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
    services.log_episode(owner, started_at=datetime(2026, 10, 2, 4, 0, tzinfo=UTC))
    upload(owner_client, "night,cramps\n2026-10-01,1\n")
    assert Night.objects.get(user=owner, night="2026-10-01").cramps == 2


def test_a_night_only_logged_at_night_stays_unconfirmed_through_a_round_trip(
    owner, owner_client, other_patient, client
):
    """Export says 'no' for a count nobody confirmed; the import keeps it out of rates."""
    from datetime import UTC, datetime

    services.log_episode(owner, started_at=datetime(2026, 10, 2, 3, 0, tzinfo=UTC))
    services.save_night(owner, datetime(2026, 10, 2).date(), reported_cramps=0)
    exported = owner_client.get(reverse("export_csv")).content.decode()
    header, *rows = exported.splitlines()
    by_night = {
        r.split(",")[0]: dict(zip(header.split(","), r.split(","), strict=True)) for r in rows
    }
    assert (by_night["2026-10-01"]["cramps"], by_night["2026-10-01"]["confirmed"]) == ("1", "no")
    assert (by_night["2026-10-02"]["cramps"], by_night["2026-10-02"]["confirmed"]) == ("0", "yes")

    client.force_login(other_patient)
    assert upload(client, exported).status_code == 302
    night = Night.objects.get(user=other_patient, night="2026-10-01")
    record = night.to_record()
    assert (record.cramps, record.confirmed, record.counts_towards_rates) == (1, False, False)
    assert client.get(reverse("export_csv")).content.decode() == exported


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-10-01,2,maybe", "line 2, column confirmed: “maybe” is not yes or no"),
        ("2026-10-01,,no", "line 2, column confirmed: “no” means cramps were logged"),
        ("2026-10-01,0,no", "line 2, column confirmed: “no” means cramps were logged"),
    ],
)
def test_a_confirmed_column_that_makes_no_sense_is_refused_by_line_and_column(
    owner_client, owner, row, message
):
    response = upload(owner_client, "night,cramps,confirmed\n" + row + "\n")
    assert message in response.content.decode()
    assert not Night.objects.filter(user=owner).exists()
