"""What patients read about a series (joining, consent, their trial page, leaving) is plain:
grade 8 or lower, like the trial pages (tests/trials/test_web_wording.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from crampwise.series import services
from tests.series.builders import fill_nights, join_weeks_ago, patients
from tests.trials.test_web_wording import assert_plain, sentences_of

pytestmark = pytest.mark.django_db


def test_the_patients_pages_read_plainly(
    syllables_without_downloads, client, clinician, django_user_model, protocol
):
    people = patients(django_user_model, 2)
    client.force_login(people[0])
    pages = [
        client.get(reverse("series_join")).content.decode(),
        client.get(reverse("series_consent", args=[protocol.join_code])).content.decode(),
    ]
    enrolments = [join_weeks_ago(p, protocol, 12) for p in people]
    for i, e in enumerate(enrolments):
        fill_nights(e, 1.0, 0.5, seed=80 + i)
    services.finish(protocol, clinician)
    trial_page = client.get(reverse("trial_detail", args=[enrolments[0].trial_id])).content.decode()
    start = trial_page.index('id="series-note"')
    note = trial_page[
        trial_page.rindex("<section", 0, start) : trial_page.index("</section>", start)
    ]
    pages.append("<main>" + note + "</main>")
    pages.append(client.get(reverse("series_join")).content.decode())
    texts = [t for page in pages for t in sentences_of(page)]
    assert len(texts) > 10
    assert_plain(texts)
