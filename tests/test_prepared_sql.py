"""Prepared SQL (the hot paths' reads and upsert) gives exactly what the ORM gives, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from crampwise import prepared_sql
from crampwise.accounts.models import Profile
from crampwise.accounts.models import UserSession as Session
from crampwise.accounts.sessions import SessionStore
from crampwise.diary.models import Episode, Medicine, Night

from .conftest import make_user

pytestmark = pytest.mark.django_db


def field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.fixture
def diary(owner, other_patient):
    for user, offset in ((owner, 0), (other_patient, 3)):
        for i in range(6):
            Night.objects.create(
                user=user, night=date(2026, 10, 1) + timedelta(days=i + offset), reported_cramps=i,
                episode_count=i % 2, factors={"stretched": i % 2 == 0, "alcohol_units": 1.5 * i},
                medicines_taken=["Magnesium"] if i else [], note=f"night {i}",
                checked_in_at=datetime(2026, 10, 2, 7, 30, tzinfo=UTC) + timedelta(days=i),
            )
        Medicine.objects.create(user=user, name="Zopiclone", started=None)
        Medicine.objects.create(user=user, name="Amlodipine", started=date(2025, 1, 1))
        Medicine.objects.create(user=user, name="Magnesium", started=date(2026, 9, 1))
    return owner


def test_fetch_equals_the_orm_for_every_field_type(diary):
    """Dates, datetimes, JSON, text, integers and nulls come back as the ORM builds them."""
    orm = Night.objects.filter(user=diary, night__gte=date(2026, 10, 2), night__lte=date(2026, 10, 5))
    fetched = prepared_sql.fetch(Night, user=diary, night__gte=date(2026, 10, 2), night__lte=date(2026, 10, 5))
    assert sorted((field_values(n) for n in fetched), key=lambda v: v["night"]) == [field_values(n) for n in orm]
    assert len(fetched) == 4 and isinstance(fetched[0].factors, dict)
    assert all(timezone.is_aware(n.checked_in_at) for n in fetched)


def test_fetch_keeps_other_people_out(diary, other_patient):
    """A filter on the owner returns only their rows."""
    assert {n.user_id for n in prepared_sql.fetch(Night, user=diary)} == {diary.pk}
    assert len(prepared_sql.fetch(Night, user=other_patient)) == 6


def test_order_by_matches_the_orm_including_blank_dates(diary):
    """Ordering, with a medicine that has no start date, is the database's own, as in the ORM."""
    orm = [m.name for m in Medicine.objects.filter(user=diary)]
    fetched = [m.name for m in prepared_sql.fetch(Medicine, user=diary, order_by=Medicine._meta.ordering)]
    assert fetched == orm


def test_only_defers_the_other_fields(diary):
    """With only=, the named fields (and the key) are loaded; the rest load on first use, as in the ORM."""
    [night] = prepared_sql.fetch(Night, user=diary, night=date(2026, 10, 3), only=("night", "reported_cramps"))
    assert night.get_deferred_fields() >= {"factors", "note", "episode_count"}
    assert night.reported_cramps == 2 and night.note == "night 2"  # loaded on demand


def test_count_and_fetch_one(diary):
    night = date(2026, 10, 1)
    Episode.objects.create(user=diary, night=night, started_at=timezone.now())
    Episode.objects.create(user=diary, night=night, started_at=timezone.now())
    assert prepared_sql.count(Episode, user=diary, night=night) == 2
    assert prepared_sql.count(Episode, user=diary, night=night + timedelta(days=1)) == 0
    assert prepared_sql.fetch_one(Profile, user=diary.pk) == Profile.objects.get(user=diary)
    assert prepared_sql.fetch_one(Night, user=diary, night=date(1999, 1, 1)) is None
    with pytest.raises(Night.MultipleObjectsReturned):
        prepared_sql.fetch_one(Night, user=diary)


def test_an_unsupported_lookup_is_refused():
    with pytest.raises(ValueError, match="icontains"):
        prepared_sql.fetch(Medicine, name__icontains="mag")


def test_upsert_inserts_then_replaces_only_the_named_fields(owner):
    """First a new row with every default filled in; then an update of the named fields only."""
    night = date(2026, 11, 1)
    prepared_sql.upsert(
        Night(user=owner, night=night, reported_cramps=3, episode_count=2, factors={"stretched": True}),
        unique_fields=("user", "night"), update_fields=("reported_cramps", "factors"),
    )
    row = Night.objects.get(user=owner, night=night)
    assert (row.reported_cramps, row.episode_count, row.factors, row.medicines_taken, row.note) == (
        3, 2, {"stretched": True}, [], "")
    assert row.updated_at is not None
    prepared_sql.upsert(
        Night(user=owner, night=night, reported_cramps=0, episode_count=9, factors={}, note="ignored"),
        unique_fields=("user", "night"), update_fields=("reported_cramps", "factors"),
    )
    row = Night.objects.get(user=owner, night=night)
    assert (row.reported_cramps, row.episode_count, row.factors, row.note) == (0, 2, {}, "")
    assert Night.objects.filter(user=owner).count() == 1


def test_sessions_read_with_prepared_sql_expire_and_end_at_logout(client, django_user_model):
    """The session engine still honours expiry and logout (a copied cookie stops working)."""
    user = make_user(django_user_model, "erin")
    client.force_login(user)
    assert client.get("/history/").status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/history/").status_code == 302  # expired: back to the login page
    client.force_login(user)
    copied = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = copied
    assert client.get("/history/").status_code == 302


def test_a_deactivated_user_is_signed_out(client, owner):
    client.force_login(owner)
    get_user_model().objects.filter(pk=owner.pk).update(is_active=False)
    assert client.get("/history/").status_code == 302


def test_fetch_values_equals_values_list(diary):
    """Columns come back converted as the ORM converts them (dates, JSON, text), in the order named."""
    fields = ("night", "factors", "note", "checked_in_at")
    orm = list(Night.objects.filter(user=diary, night__lt=date(2026, 10, 4)).order_by("-night").values_list(*fields))
    fetched = prepared_sql.fetch_values(Night, fields, user=diary, night__lt=date(2026, 10, 4), order_by=("-night",))
    assert fetched == orm and len(fetched) == 3
    assert isinstance(fetched[0][0], date) and isinstance(fetched[0][1], dict)


def test_queries_stay_visible_to_query_counting(diary, django_assert_num_queries):
    """Under assertNumQueries (or DEBUG's log) the statements go through Django's cursor and are counted."""
    with django_assert_num_queries(3) as captured:
        prepared_sql.fetch(Medicine, user=diary)
        prepared_sql.fetch_values(Medicine, ("name",), user=diary)
        prepared_sql.count(Episode, user=diary)
    assert all('"diary_' in q["sql"] for q in captured.captured_queries)


def test_both_paths_give_the_same_rows(diary, django_assert_num_queries):
    """The driver's own cursor (the usual path) and Django's cursor (when queries are watched) agree."""
    def read():
        return (
            [field_values(n) for n in prepared_sql.fetch(Night, user=diary, order_by=("night",))],
            prepared_sql.fetch_values(Medicine, ("name", "started"), user=diary, order_by=("name",)),
            prepared_sql.count(Night, user=diary, night__gte=date(2026, 10, 3)),
        )
    direct = read()
    with django_assert_num_queries(3):
        watched = read()
    assert direct == watched and len(direct[0]) == 6 and direct[2] == 4


def test_writes_join_the_open_transaction_and_raise_django_errors(owner):
    """An upsert inside atomic() is undone by its rollback; a constraint failure is Django's IntegrityError."""
    night = date(2026, 11, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        prepared_sql.upsert(Night(user=owner, night=night, reported_cramps=1, episode_count=0),
                            unique_fields=("user", "night"), update_fields=("reported_cramps",))
        assert Night.objects.filter(user=owner, night=night).exists()
        raise RuntimeError("roll back")
    assert not Night.objects.filter(user=owner, night=night).exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        # A negative count breaks the column's CHECK constraint, on both databases, at once.
        prepared_sql.upsert(Night(user=owner, night=night, reported_cramps=-1, episode_count=0),
                            unique_fields=("user", "night"), update_fields=("reported_cramps",))
    assert not Night.objects.filter(user=owner, night=night).exists()


def test_a_session_decoded_once_is_still_each_callers_own(owner):
    """Sessions decoded from the process's cache are copies: one request's change never leaks into another's."""
    store = SessionStore()
    store["_auth_user_id"] = str(owner.pk)
    store["records"] = [{"method": "password"}]
    store.create()
    first, second = SessionStore(store.session_key), SessionStore(store.session_key)
    first["records"].append({"method": "totp"})
    first["_auth_user_id"] = "0"
    assert second["records"] == [{"method": "password"}] and second["_auth_user_id"] == str(owner.pk)
    assert SessionStore(store.session_key).load()["records"] == [{"method": "password"}]


def test_a_tampered_session_is_empty_even_after_the_real_one_was_read(owner):
    store = SessionStore()
    store["_auth_user_id"] = str(owner.pk)
    store.create()
    real = Session.objects.get(session_key=store.session_key).session_data
    assert SessionStore(store.session_key).load()["_auth_user_id"] == str(owner.pk)
    payload, _sep, signature = real.rpartition(":")
    forged = payload + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
    Session.objects.filter(session_key=store.session_key).update(session_data=forged)
    assert SessionStore(store.session_key).load() == {}


def _sent(value):
    """What a parameter carries (psycopg wraps JSON in a Jsonb object, which has no equality of its own)."""
    return (type(value).__name__, getattr(value, "obj", value))


@pytest.mark.filterwarnings("ignore:DateTimeField .* received a naive datetime")
@pytest.mark.parametrize("model", [Night, Episode, Medicine, Profile])
def test_save_adapters_send_what_django_sends(model, owner):
    """Each field's short way to a query parameter, to save or to filter, gives exactly what Django sends."""
    samples = [None, 0, 7, True, "", "text", "12", date(2026, 3, 29), datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
               datetime(2026, 3, 29, 1, 30), timezone.now(), {"stretched": True, "n": 1.5}, [], ["Magnesium"],
               owner.pk]
    compared = 0
    for field in model._meta.concrete_fields:
        lookup_field = field.target_field if field.is_relation else field  # as a filter compares it
        pairs = [
            (prepared_sql._save_adapter(field), field.get_db_prep_save),
            (prepared_sql._lookup_adapter(lookup_field),
             lambda value, connection, f=lookup_field: f.get_db_prep_value(value, connection, prepared=False)),
        ]
        for (adapt, django_way), value in product(pairs, samples):
            try:
                expected = django_way(value, connection)
            except Exception:  # noqa: BLE001 - a value Django refuses is no test of the short way
                continue
            assert _sent(adapt(value, connection)) == _sent(expected), (field.name, value)
            compared += 1
    assert compared >= 40


def test_upsert_values_writes_what_upsert_writes(owner):
    """The same night through the instance and through the values: identical rows, defaults and clock included."""
    first, second = date(2026, 11, 3), date(2026, 11, 4)
    answers = {"reported_cramps": 2, "worst_pain": 6, "factors": {"stretched": False, "alcohol_units": 2},
               "medicines_taken": ["Magnesium"], "checked_in_at": datetime(2026, 11, 5, 7, 0, tzinfo=UTC)}
    prepared_sql.upsert(Night(user=owner, night=first, episode_count=1, **answers),
                        unique_fields=("user", "night"), update_fields=tuple(answers))
    before = timezone.now()
    prepared_sql.upsert_values(Night, {"user": owner, "night": second, "episode_count": 1, **answers},
                               unique_fields=("user", "night"), update_fields=tuple(answers))
    by_instance, by_values = (field_values(Night.objects.get(user=owner, night=d)) for d in (first, second))
    for row in (by_instance, by_values):
        row.pop("id"), row.pop("night")
    assert by_values.pop("updated_at") >= before
    by_instance.pop("updated_at")
    assert by_values == by_instance and by_values["note"] == "" and by_values["minutes_awake"] is None
    # A second write replaces only the named fields; the rest stay.
    prepared_sql.upsert_values(Night, {"user": owner.pk, "night": second, "episode_count": 5, "reported_cramps": 0},
                               unique_fields=("user", "night"), update_fields=("reported_cramps",))
    row = Night.objects.get(user=owner, night=second)
    assert (row.reported_cramps, row.episode_count, row.worst_pain) == (0, 1, 6)
    with pytest.raises(TypeError, match="cramps"):
        prepared_sql.upsert_values(Night, {"user": owner, "night": second, "cramps": 1},
                                   unique_fields=("user", "night"), update_fields=())


def test_a_user_and_their_profile_in_one_statement(owner, other_patient, django_assert_num_queries):
    """The join gives the rows the ORM gives (times, dates, time zone); no profile is None; no user is None."""
    Profile.objects.filter(user=owner).update(bedtime="23:15", wake_time="06:40", time_zone="Asia/Tokyo",
                                              birth_year=1951)
    User = get_user_model()  # noqa: N806 - a model class
    User.objects.filter(pk=owner.pk).update(last_login=datetime(2026, 11, 20, 6, 5, tzinfo=UTC))
    for person in (owner, other_patient):
        with django_assert_num_queries(1):
            user, profile = prepared_sql.fetch_one_with_related(User, Profile, "user", pk=person.pk)
        assert field_values(user) == field_values(User.objects.get(pk=person.pk))
        assert field_values(profile) == field_values(Profile.objects.get(user=person))
    assert (profile.user_id, user.pk) == (other_patient.pk, other_patient.pk)
    Profile.objects.filter(user=other_patient).delete()
    user, profile = prepared_sql.fetch_one_with_related(User, Profile, "user", pk=other_patient.pk)
    assert user.pk == other_patient.pk and profile is None
    assert prepared_sql.fetch_one_with_related(User, Profile, "user", pk=10**9) == (None, None)
    with pytest.raises(ValueError, match="one-to-one"):
        prepared_sql.fetch_one_with_related(User, Medicine, "user", pk=owner.pk)
