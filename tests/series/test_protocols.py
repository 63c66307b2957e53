"""Writing protocols: the same rules as the single-trial wizard, copies and versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.series import services
from crampwise.series.models import Protocol
from tests.series.builders import DESIGN, join_weeks_ago, protocol_for

pytestmark = pytest.mark.django_db


def test_a_clinician_writes_a_protocol_on_the_page(client, clinician):
    """The form saves the protocol and opens its series page with a join code."""
    client.force_login(clinician)
    data = {**DESIGN, "blinded": ""}
    response = client.post(reverse("series_home"), data)
    protocol = Protocol.objects.get(owner=clinician)
    assert response.status_code == 302
    assert response["Location"] == reverse("series_detail", args=[protocol.pk])
    page = client.get(response["Location"])
    assert protocol.join_code in page.content.decode()
    assert protocol.kind == "supplement" and protocol.version == 1


def test_quinine_cannot_be_a_series(clinician):
    """Quinine is never offered, and writing it anyway names the remedy field."""
    with pytest.raises(services.SeriesError) as error:
        protocol_for(clinician, remedy_id="quinine")
    assert error.value.field == "remedy_id"
    assert "quinine" not in [r.id for r in services.series_remedies()]


def test_the_washout_must_be_shorter_than_a_period(client, clinician):
    client.force_login(clinician)
    response = client.post(reverse("series_home"), {**DESIGN, "washout_nights": 7,
                                                    "period_nights": 7})  # fmt: skip
    assert response.status_code == 200
    assert "The washout must be shorter than a period." in response.content.decode()
    assert not Protocol.objects.exists()


def test_a_protocol_needs_as_many_pairs_as_a_personal_trial(client, clinician):
    """One pair could never reach two periods on each arm: the wizard's bound holds here too."""
    client.force_login(clinician)
    response = client.post(reverse("series_home"), {**DESIGN, "pairs": 1})
    assert response.status_code == 200
    assert not Protocol.objects.exists()
    assert client.post(reverse("series_home"), {**DESIGN, "pairs": 2}).status_code == 302
    assert Protocol.objects.get().pairs == 2


def test_stretching_cannot_be_blinded(clinician):
    with pytest.raises(services.SeriesError) as error:
        protocol_for(clinician, remedy_id="stretching", period_nights=7, washout_nights=1,
                     blinded=True)  # fmt: skip
    assert error.value.field == "blinded"


def test_a_patient_account_cannot_write_a_protocol(client, owner):
    client.force_login(owner)
    assert client.get(reverse("series_home")).status_code == 404
    with pytest.raises(services.SeriesError):
        protocol_for(owner)


def test_a_new_version_links_its_parent_and_patients_stay_on_theirs(protocol, owner):
    """Version 2 is a new row; a patient who joined version 1 is still on version 1."""
    enrolment = join_weeks_ago(owner, protocol, 1)
    second = services.new_version(protocol, pairs=4)
    assert (second.version, second.parent_id, second.pairs) == (2, protocol.pk, 4)
    assert second.join_code != protocol.join_code
    enrolment.refresh_from_db()
    assert enrolment.protocol_id == protocol.pk
    assert enrolment.trial.pairs == 3
    assert services.new_version(second).version == 3


def test_a_copy_is_a_new_series_of_its_own(client, clinician, protocol):
    client.force_login(clinician)
    response = client.post(reverse("series_copy", args=[protocol.pk]),
                           {**DESIGN, "title": "Magnesium, second centre", "blinded": ""})  # fmt: skip
    copy = Protocol.objects.get(title="Magnesium, second centre")
    assert response.status_code == 302
    assert copy.parent_id is None and copy.version == 1


def test_the_protocol_prints_on_one_page_with_the_cent_items(client, clinician, protocol):
    client.force_login(clinician)
    text = client.get(reverse("series_protocol", args=[protocol.pk])).content.decode()
    for item in ("Title", "Aims", "Design", "Randomisation", "Blinding", "Outcome", "Analysis",
                 "Threshold"):  # fmt: skip
        assert f"<dt>{item}</dt>" in text
    assert "20% fewer cramps" in text
