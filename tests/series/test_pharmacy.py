"""The sealed key's way to the pharmacy: emailed to the pharmacy alone, never seen by the owner,
counted and audited when opened, and dead once revoked, replaced or the series is finished."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from crampwise.series import pharmacy
from crampwise.series.core.dispensing import dispensing
from crampwise.series.core.packs import PACKS, pack_for, real_pack
from crampwise.series.models import PharmacyLink, SeriesEvent
from crampwise.trials.core.design import Arm, PeriodPlan, period_plans
from tests.conftest import make_user
from tests.series.builders import join_weeks_ago, patients

pytestmark = pytest.mark.django_db

PHARMACY = {"pharmacy_name": "Town Hospital Pharmacy", "email": "trials@pharmacy.example"}
TOKEN_IN_LINK = re.compile(r"/series/pharmacy/([A-Za-z0-9_\-]+)/")


def send_url(protocol) -> str:
    return reverse("series_pharmacy_send", args=[protocol.pk])


def revoke_url(protocol) -> str:
    return reverse("series_pharmacy_revoke", args=[protocol.pk])


def key_url(token: str) -> str:
    return reverse("series_pharmacy_key", args=[token])


def real_phrase(protocol) -> str:
    real = real_pack(protocol.key_seed)
    return f"Fill pack {real} with the real capsules"


def token_of(message) -> str:
    [token] = TOKEN_IN_LINK.findall(message.body)
    return token


@pytest.fixture
def running(django_user_model, blinded_protocol):
    enrolments = [join_weeks_ago(p, blinded_protocol, 3) for p in patients(django_user_model, 2)]
    return blinded_protocol, enrolments


@pytest.fixture
def owner_of(client, clinician):
    client.force_login(clinician)
    return client


def send(client, protocol, **changes):
    return client.post(send_url(protocol), {**PHARMACY, **changes}, follow=True)


def test_the_key_goes_to_the_pharmacy_alone_and_its_link_opens_the_key(owner_of, client, running):
    protocol, enrolments = running
    send(owner_of, protocol)
    [message] = mail.outbox
    assert message.to == [PHARMACY["email"]]
    assert message.recipients() == [PHARMACY["email"]]  # no copy, no blind copy to the owner
    assert message.reply_to == []
    token = token_of(message)
    assert message.body.count(token) == 1
    assert real_phrase(protocol) not in message.body  # the key itself is behind the link
    client.logout()
    page = client.post(key_url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert real_phrase(protocol) in text
    assert "Blinded magnesium" in text and "version 1" in text.lower()
    assert all(f"Patient {e.code}" in text for e in enrolments)
    assert page["Cache-Control"] == "no-store"
    assert "noindex" in page["X-Robots-Tag"]
    assert page["Referrer-Policy"] == "no-referrer"


def test_the_dispensing_list_is_each_patients_schedule_through_the_key(owner_of, client, running):
    protocol, enrolments = running
    send(owner_of, protocol)
    client.logout()
    text = client.post(key_url(token_of(mail.outbox[0]))).content.decode()
    for enrolment in enrolments:
        table = text.split(f"Patient {enrolment.code}</caption>")[1].split("</table>")[0]
        letters = re.findall(r"<td>pack ([AB])</td>", table)
        expected = [
            pack_for(p.arm, protocol.key_seed) for p in period_plans(enrolment.trial.design())
        ]
        assert letters == expected
        assert len(letters) == 2 * protocol.pairs


def test_the_owner_never_sees_the_token_or_the_key(owner_of, running):
    protocol, _ = running
    answer = send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    link = PharmacyLink.objects.get()
    seen = [answer.content.decode()]  # the page after sending, with its message
    seen.append(owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode())
    seen.append(owner_of.get(send_url(protocol)).content.decode())
    seen.append(owner_of.get("/api/v1/series/protocols").content.decode())
    seen.append(owner_of.get(f"/api/v1/series/protocols/{protocol.pk}/pooled").content.decode())
    for text in seen:
        assert token not in text and link.token_hash not in text
        assert real_phrase(protocol) not in text and "real capsules" not in text.lower()
    assert "The key is on its way to Town Hospital Pharmacy" in seen[0]
    assert "Sent to Town Hospital Pharmacy (trials@pharmacy.example) on" in seen[1]
    assert "Not opened yet." in seen[1]


def test_only_the_tokens_hash_is_stored(owner_of, running):
    protocol, _ = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    link = PharmacyLink.objects.get()
    assert len(token) >= 43 and token not in link.token_hash and len(link.token_hash) == 64


def test_the_link_only_asks_so_a_mail_scanner_sees_no_key_and_counts_as_no_opening(
    owner_of, client, running
):
    """Mail services open links to scan them: the link's page holds no key, records nothing,
    and shows the key only when the button is pressed (with no CSRF token: the link's token is
    the proof, and a browser sends no Referer from this page)."""
    from django.test import Client

    protocol, enrolments = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    scanner = Client(enforce_csrf_checks=True)
    asked = scanner.get(key_url(token))
    assert asked.status_code == 200
    text = asked.content.decode()
    assert "Show the key" in text and "Blinded magnesium" in text
    assert real_phrase(protocol) not in text and "pack A" not in text and "pack B" not in text
    assert not any(f"Patient {e.code}" in text for e in enrolments)
    assert asked["Cache-Control"] == "no-store" and asked["Referrer-Policy"] == "no-referrer"
    assert PharmacyLink.objects.get().opened_count == 0
    assert not SeriesEvent.objects.filter(action=SeriesEvent.Action.KEY_OPENED).exists()
    shown = scanner.post(key_url(token))
    assert shown.status_code == 200 and real_phrase(protocol) in shown.content.decode()
    assert PharmacyLink.objects.get().opened_count == 1


def test_opening_is_counted_and_audited(owner_of, client, running):
    protocol, _ = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    client.logout()
    for _ in range(2):
        assert client.post(key_url(token)).status_code == 200
    link = PharmacyLink.objects.get()
    assert link.opened_count == 2 and link.last_opened_at is not None
    events = SeriesEvent.objects.filter(protocol=protocol, action=SeriesEvent.Action.KEY_OPENED)
    assert events.count() == 2 and {e.actor for e in events} == {None}
    assert SeriesEvent.objects.filter(action=SeriesEvent.Action.KEY_SENT).count() == 1
    client.force_login(protocol.owner)
    page = client.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "Opened 2 times, last on" in page


def test_sending_again_revokes_the_earlier_link(owner_of, client, running):
    protocol, _ = running
    send(owner_of, protocol)
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "Send again" in page and "Revoke the pharmacy" in page
    send(owner_of, protocol, email="other@pharmacy.example")
    first, second = (token_of(m) for m in mail.outbox)
    assert mail.outbox[1].to == ["other@pharmacy.example"]
    client.logout()
    assert client.get(key_url(first)).status_code == 404
    assert client.post(key_url(first)).status_code == 404
    assert client.get(key_url(second)).status_code == 200
    assert PharmacyLink.objects.filter(revoked_at__isnull=True).count() == 1
    assert SeriesEvent.objects.filter(action=SeriesEvent.Action.KEY_REVOKED).count() == 1


def test_a_revoked_link_is_a_plain_404(owner_of, client, running):
    protocol, _ = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    owner_of.post(revoke_url(protocol))
    assert SeriesEvent.objects.filter(action=SeriesEvent.Action.KEY_REVOKED).count() == 1
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "The link was revoked on" in page and "Revoke the pharmacy" not in page
    client.logout()
    revoked = client.get(key_url(token))
    unknown = client.get("/no-such-page/")
    assert revoked.status_code == unknown.status_code == 404
    assert [t.name for t in revoked.templates] == [t.name for t in unknown.templates]
    assert client.post(key_url(token)).status_code == 404
    assert client.get(key_url("x" * 43)).status_code == 404
    assert client.get(key_url("x" * 500)).status_code == 404
    assert PharmacyLink.objects.get().opened_count == 0


def test_a_finished_series_link_is_404_and_the_form_is_gone(owner_of, client, running):
    protocol, _ = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])
    owner_of.post(reverse("series_finish", args=[protocol.pk]))
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert "the link no longer works" in page and 'name="pharmacy_name"' not in page
    assert owner_of.post(send_url(protocol), PHARMACY).status_code == 404
    client.logout()
    assert client.get(key_url(token)).status_code == 404
    assert client.post(key_url(token)).status_code == 404
    assert len(mail.outbox) == 1


def test_an_open_series_has_no_key_to_send(owner_of, protocol):
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert 'id="pharmacy"' not in page and 'name="pharmacy_name"' not in page
    assert owner_of.get(send_url(protocol)).status_code == 404
    assert owner_of.post(send_url(protocol), PHARMACY).status_code == 404
    assert owner_of.post(revoke_url(protocol)).status_code == 404
    assert mail.outbox == [] and not PharmacyLink.objects.exists()


def test_after_unblinding_no_key_is_sent(owner_of, running):
    protocol, _ = running
    owner_of.post(reverse("series_unblind", args=[protocol.pk]), {"confirm": "yes"})
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert 'name="pharmacy_name"' not in page
    assert owner_of.post(send_url(protocol), PHARMACY).status_code == 404


def test_without_mail_the_form_gives_way_to_a_sentence(owner_of, running, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    protocol, _ = running
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    assert 'name="pharmacy_name"' not in page and "CRAMPWISE_EMAIL_HOST" in page
    answer = owner_of.post(send_url(protocol), PHARMACY)
    assert answer.status_code == 200 and "CRAMPWISE_EMAIL_HOST" in answer.content.decode()
    assert not PharmacyLink.objects.exists()


def test_a_wrong_address_is_shown_in_the_error_summary(owner_of, running):
    protocol, _ = running
    answer = owner_of.post(send_url(protocol), {**PHARMACY, "email": "not an address"})
    text = answer.content.decode()
    assert answer.status_code == 200 and 'class="error-summary"' in text
    assert 'href="#id_email"' in text
    assert mail.outbox == [] and not PharmacyLink.objects.exists()


def test_when_the_email_fails_the_earlier_link_still_works(owner_of, client, running, monkeypatch):
    protocol, _ = running
    send(owner_of, protocol)
    token = token_of(mail.outbox[0])

    def refuse(self, fail_silently=False):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    answer = owner_of.post(send_url(protocol), {**PHARMACY, "email": "new@pharmacy.example"})
    assert "The email could not be sent" in answer.content.decode()
    assert PharmacyLink.objects.count() == 1
    client.logout()
    assert client.get(key_url(token)).status_code == 200


def test_nobody_else_sends_or_revokes(client, django_user_model, running):
    protocol, enrolments = running
    colleague = make_user(django_user_model, "dr_dave", clinician=True)
    for person in (colleague, enrolments[0].patient):
        client.force_login(person)
        assert client.get(send_url(protocol)).status_code == 404
        assert client.post(send_url(protocol), PHARMACY).status_code == 404
        assert client.post(revoke_url(protocol)).status_code == 404
    client.logout()
    for answer in (client.get(send_url(protocol)), client.post(send_url(protocol), PHARMACY),
                   client.post(revoke_url(protocol))):  # fmt: skip
        assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]
    assert mail.outbox == [] and not PharmacyLink.objects.exists()


def test_another_clinician_cannot_revoke_a_live_link(client, django_user_model, owner_of, running):
    protocol, _ = running
    send(owner_of, protocol)
    client.force_login(make_user(django_user_model, "dr_dave", clinician=True))
    assert client.post(revoke_url(protocol)).status_code == 404
    assert pharmacy.live_link(protocol) is not None


def test_a_withdrawn_patient_leaves_the_dispensing_list(owner_of, client, running):
    from crampwise.series import services

    protocol, enrolments = running
    services.withdraw(enrolments[0])
    send(owner_of, protocol)
    client.logout()
    text = client.post(key_url(token_of(mail.outbox[0]))).content.decode()
    assert f"Patient {enrolments[0].code}<" not in text
    assert f"Patient {enrolments[1].code}<" in text


# ---- the pure dispensing list ----------------------------------------------------------------


def plan(period: int, arm: Arm, first: date) -> PeriodPlan:
    return PeriodPlan(period, period // 2, arm, first, first + timedelta(days=13), 7)


def test_each_period_is_filled_from_its_arms_pack():
    seed = 12345
    start = date(2026, 1, 1)
    plans = [plan(i, arm, start + timedelta(days=14 * i))
             for i, arm in enumerate([Arm.TREATMENT, Arm.CONTROL, Arm.CONTROL, Arm.TREATMENT])]  # fmt: skip
    packs = dispensing(plans, seed)
    real = real_pack(seed)
    dummy = PACKS[1 - PACKS.index(real)]
    assert [p.letter for p in packs] == [real, dummy, dummy, real]
    assert [p.number for p in packs] == [1, 2, 3, 4]
    assert {p.nights for p in packs} == {14}


def test_a_stopped_trial_needs_no_later_packs():
    start = date(2026, 1, 1)
    plans = [plan(i, Arm.TREATMENT if i % 2 else Arm.CONTROL, start + timedelta(days=14 * i))
             for i in range(4)]  # fmt: skip
    packs = dispensing(plans, 7, last_night=start + timedelta(days=20))
    assert [p.number for p in packs] == [1, 2]
    assert packs[1].nights == 7


# ---- the token in the server's logs ----------------------------------------------------------


def test_the_logs_blank_a_pharmacy_token():
    from datetime import timedelta as td
    from types import SimpleNamespace

    from gunicorn.config import Config

    from crampwise.clinician.core.logs import RedactingGunicornLogger, RedactShareTokens, redact

    token = "kmQWRZI7ypaXe_0z_e0urS-OL2G9NP-7Kzhv4BLrilU"
    path = f"/series/pharmacy/{token}/"
    assert redact(f'"GET {path} HTTP/1.1" 200') == '"GET /series/pharmacy/[token]/ HTTP/1.1" 200'
    owner_path = "/series/0b6a7c1e-4f7d-4a43-9a55-3d1a2f1e9c10/pharmacy/revoke/"
    assert redact(owner_path) == owner_path
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s",
                               (path,), None)  # fmt: skip
    RedactShareTokens().filter(record)
    assert record.getMessage() == "Not Found: /series/pharmacy/[token]/"

    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", '%(h)s "%(r)s" %(s)s %({referer}i)s')
    server_log = RedactingGunicornLogger(config)
    lines: list[str] = []
    capture = logging.Handler()
    capture.emit = lambda record: lines.append(capture.format(record))  # type: ignore[method-assign]
    server_log.access_log.addHandler(capture)
    try:
        environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path,
                   "SERVER_PROTOCOL": "HTTP/1.1", "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.9"}  # fmt: skip
        server_log.access(SimpleNamespace(status="200 OK", sent=10, headers=[]),
                          [("Referer", f"https://cramps.example{path}")], environ, td(seconds=1))  # fmt: skip
    finally:
        server_log.access_log.removeHandler(capture)
    assert len(lines) == 1 and token not in lines[0]
    assert lines[0].count("/series/pharmacy/[token]/") == 2


def test_the_owner_cannot_send_the_key_to_their_own_address(owner_of, running):
    protocol, _ = running
    protocol.owner.email = "Dr.Carol@Clinic.example"
    protocol.owner.save()
    answer = send(owner_of, protocol, email="dr.carol@clinic.example")
    assert "This is your own address. The key must go to the pharmacy" in answer.content.decode()
    assert mail.outbox == [] and not PharmacyLink.objects.exists()


def test_every_link_sent_stays_on_the_owners_page(owner_of, client, running):
    """Sending the key somewhere and then to the pharmacy must leave a trace the owner's
    colleagues and auditors can read: every earlier link, where it went and if it was opened."""
    protocol, _ = running
    send(owner_of, protocol, email="first@elsewhere.example")
    client.post(key_url(token_of(mail.outbox[0])))
    send(owner_of, protocol)
    page = owner_of.get(reverse("series_detail", args=[protocol.pk])).content.decode()
    earlier = page.split('id="pharmacy-earlier"')[1].split("</ul>")[0]
    assert "first@elsewhere.example" in earlier and "opened 1 time" in earlier
    assert "revoked on" in earlier
    assert PHARMACY["email"] in page.split('id="pharmacy-sent"')[1].split("</p>")[0]


def test_a_title_with_a_line_break_makes_a_one_line_subject(owner_of, running):
    protocol, _ = running
    protocol.title = "Magnesium\nBcc: someone@else.example"
    protocol.save(update_fields=["title"])
    send(owner_of, protocol)
    [message] = mail.outbox
    assert "\n" not in message.subject and message.recipients() == [PHARMACY["email"]]
