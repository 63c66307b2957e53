"""The OpenAPI document, the interactive docs and docs/api.md describe the same API."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def openapi(client) -> dict:
    return client.get("/api/v1/openapi.json").json()


@pytest.mark.django_db
def test_the_openapi_document_is_public_and_names_both_ways_in(client):
    """openapi.json needs no login and declares the bearer token and the session cookie."""
    doc = openapi(client)
    assert doc["info"]["version"] == "1"
    assert set(doc["components"]["securitySchemes"]) == {"BearerTokenAuth", "SessionCookieAuth"}


@pytest.mark.django_db
def test_every_error_answer_has_the_one_error_shape(client):
    """Each 4xx/5xx of every operation is documented as ErrorOut."""
    for path, operations in openapi(client)["paths"].items():
        for method, op in operations.items():
            for status, answer in op["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (
                        method,
                        path,
                        status,
                    )


@pytest.mark.django_db
def test_every_operation_and_field_is_in_docs_api_md(client):
    """docs/api.md has a section for each route and mentions each request field."""
    docs = DOCS.read_text()
    doc = openapi(client)
    for path, operations in doc["paths"].items():
        short = path.removeprefix("/api/v1")
        for method in operations:
            assert f"{method.upper()} {short}" in docs, (
                f"{method.upper()} {short} is not documented"
            )
    for name in ("NightIn", "EpisodeIn", "FactorIn", "MedicineIn"):
        for field in doc["components"]["schemas"][name]["properties"]:
            assert f"`{field}`" in docs, f"{name}.{field} is not documented"


def test_docs_api_md_has_a_curl_example_for_each_kind_of_call():
    """Examples for reading, writing, and the CSV export."""
    docs = DOCS.read_text()
    assert len(re.findall(r"^curl ", docs, flags=re.M)) >= 6
    assert "Authorization: Bearer" in docs


@pytest.mark.django_db
@pytest.mark.skipif(
    "ninja" not in settings.INSTALLED_APPS,
    reason="needs 'ninja' in INSTALLED_APPS; without it ninja loads Swagger UI from a CDN",
)
def test_the_interactive_docs_load_nothing_from_another_site(client):
    """/api/v1/docs uses the Swagger UI files shipped with django-ninja (our CSP allows no CDN)."""
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200 and "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "<script>" not in html
