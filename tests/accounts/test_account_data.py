"""The person's data is theirs: a full export, and a deletion that leaves nothing behind."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import UTC, date, datetime

import pytest
from django.apps import apps
from django.urls import reverse

from crampwise.diary import services
from crampwise.diary.models import CustomFactor, Medicine
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_diary(owner):
    services.save_night(owner, date(2026, 11, 1), reported_cramps=2, factors={"stretched": True})
    services.log_episode(owner, started_at=datetime(2026, 11, 2, 3, 0, tzinfo=UTC))
    Medicine.objects.create(user=owner, name="Ramipril")
    CustomFactor.objects.create(user=owner, name="late_dinner", label="Late dinner?")
    return owner


def rows_of(user) -> dict[str, int]:
    """Every row in every table that points at the user."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                getattr(field, "many_to_one", False)
                and field.related_model is type(user)
                and field.concrete
            ):
                n = model.objects.filter(**{field.name: user.pk}).count()
                if n:
                    counts[f"{model._meta.label}.{field.name}"] = n
    return counts


def test_the_export_zip_holds_the_csv_and_a_fhir_bundle(owner_client, full_diary):
    """One download has everything, in open formats."""
    response = owner_client.get(reverse("account_export"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"nights.csv", "fhir-bundle.json", "report.pdf", "README.txt"} <= set(archive.namelist())
    assert archive.read("report.pdf").startswith(b"%PDF")
    assert "2026-11-01,2," in archive.read("nights.csv").decode()
    assert json.loads(archive.read("fhir-bundle.json"))["resourceType"] == "Bundle"


def test_deleting_the_account_leaves_no_row_of_the_user(client, full_diary, other_patient):
    """After deletion, no table holds a row of the user; other people's data is untouched."""
    services.save_night(other_patient, date(2026, 11, 1), reported_cramps=1)
    assert rows_of(full_diary)  # the diary really had rows
    client.force_login(full_diary)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert rows_of(full_diary) == {}
    assert not type(full_diary).objects.filter(pk=full_diary.pk).exists()
    assert services.load_nights(other_patient)


def test_a_wrong_password_deletes_nothing(owner_client, full_diary):
    """The confirmation protects against a stolen, unlocked phone."""
    response = owner_client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 200 and "Nothing was deleted" in response.content.decode()
    assert rows_of(full_diary)


@pytest.mark.parametrize("name", ["account_export", "account_delete"])
def test_anonymous_visitors_must_log_in(client, name):
    """No export or deletion without an account."""
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response.url
