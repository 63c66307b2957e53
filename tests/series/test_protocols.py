"""Writing protocols: the same rules as the single-trial wizard, copies and versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.series import services
from crampwise.series.models import Protocol
from crampwise.trials.core.design import period_plans
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


# ---- pairs or blocks ----------------------------------------------------------------------


def test_the_form_offers_pairs_or_blocks_and_saves_blocks_of_four(client, clinician):
    client.force_login(clinician)
    page = client.get(reverse("series_home")).content.decode()
    assert "Blocks of four periods: two with the remedy and two without" in page
    response = client.post(reverse("series_home"), {**DESIGN, "block_periods": 4, "pairs": 4})
    assert response.status_code == 302
    assert (Protocol.objects.get().block_periods, Protocol.objects.get().pairs) == (4, 4)


@pytest.mark.parametrize(
    ("size", "pairs", "message"),
    [
        (4, 3, "With blocks of four periods, choose an even number of pairs."),
        (6, 4, "With blocks of six periods, choose a number of pairs that is a multiple of three."),
    ],
)
def test_blocks_refuse_a_number_of_pairs_that_leaves_a_block_unfilled(
    client, clinician, size, pairs, message
):
    """The message sits on the pairs field and says what to choose."""
    client.force_login(clinician)
    response = client.post(reverse("series_home"), {**DESIGN, "block_periods": size,
                                                    "pairs": pairs})  # fmt: skip
    assert response.status_code == 200
    assert not Protocol.objects.exists()
    assert response.context["form"].errors["pairs"] == [message]
    assert message in response.content.decode()


def test_the_service_refuses_a_design_other_than_pairs_or_blocks(clinician):
    with pytest.raises(services.SeriesError) as error:
        protocol_for(clinician, block_periods=8, pairs=4)
    assert error.value.field == "block_periods"
    with pytest.raises(services.SeriesError) as error:
        protocol_for(clinician, block_periods=4, pairs=3)
    assert error.value.field == "pairs"


def test_a_patient_who_joins_a_blocks_protocol_runs_a_blocks_trial(clinician, owner):
    blocks = protocol_for(clinician, block_periods=4, pairs=4)
    trial = join_weeks_ago(owner, blocks, 1).trial
    assert trial.block_periods == 4 and trial.pairs == 4
    design = trial.design()
    assert design.blocks == 2
    assert [p.block for p in period_plans(design)] == [0, 0, 0, 0, 1, 1, 1, 1]


def test_copies_and_versions_keep_the_design_unless_changed(clinician):
    blocks = protocol_for(clinician, block_periods=6, pairs=6)
    assert services.new_version(blocks).block_periods == 6
    assert services.copy_protocol(blocks, title="Elsewhere").block_periods == 6
    assert services.new_version(blocks, block_periods=2, pairs=5).block_periods == 2
    with pytest.raises(services.SeriesError):
        services.new_version(blocks, pairs=4)  # four pairs do not fill blocks of six


def test_the_copy_form_starts_from_the_protocols_design(client, clinician):
    blocks = protocol_for(clinician, block_periods=4, pairs=4)
    client.force_login(clinician)
    form = client.get(reverse("series_copy", args=[blocks.pk])).context["form"]
    assert form.initial["block_periods"] == 4


def test_the_one_page_protocol_states_the_blocks(client, clinician):
    blocks = protocol_for(clinician, block_periods=4, pairs=4)
    client.force_login(clinician)
    text = client.get(reverse("series_protocol", args=[blocks.pk])).content.decode()
    assert "8 periods of 14 nights in 2 blocks of 4 periods: 2 with magnesium and 2 without" in text
    assert "a shuffle of each block" in text
    pairs = protocol_for(clinician, title="Pairs")
    text = client.get(reverse("series_protocol", args=[pairs.pk])).content.decode()
    assert "3 pairs of 14-night periods: one with magnesium and one without" in text
