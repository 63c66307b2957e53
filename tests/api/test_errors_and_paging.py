"""Bad input gets a 4xx whose JSON names each bad field; never a server error."""

from __future__ import annotations

import pytest

from tests.api.conftest import fields

pytestmark = pytest.mark.django_db


def put_raw(client, headers, body: bytes | str):
    return client.put(
        "/api/v1/nights/2026-11-20", body, content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("body", ["{", "not json", '{"cramps": NaN}', '{"cramps": Infinity}'])
def test_a_body_that_is_not_json_is_a_400(client, owner_headers, body):
    """Unparseable JSON (NaN and Infinity included) is answered 400 in the usual error shape."""
    response = put_raw(client, owner_headers, body)
    assert response.status_code == 400
    assert response.json()["detail"][0] == {
        "field": None,
        "message": "The request body is not valid JSON.",
    }


def test_a_huge_body_is_a_400_in_the_error_shape(client, owner_headers, settings):
    """Past Django's upload limit the answer is still the API's JSON error."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = put_raw(client, owner_headers, '{"note": "' + "x" * 2000 + '"}')
    assert response.status_code == 400 and response.json()["detail"][0]["field"] is None


@pytest.mark.parametrize("body", ["[]", '"text"', "3", "null"])
def test_a_body_that_is_not_an_object_is_a_422(client, owner_headers, body):
    """JSON of the wrong shape is a validation error, not a crash."""
    assert put_raw(client, owner_headers, body).status_code == 422


def test_a_missing_body_is_named_as_such(client, owner_headers):
    """A PUT without any body says to send a JSON object."""
    response = client.put("/api/v1/nights/2026-11-20", headers=owner_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": None, "message": "Send the fields as a JSON object in the request body."}
    ]


@pytest.mark.parametrize(
    "query,field",
    [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
        ("offset=99999999999999999999999", "offset"),
        ("from=2026-02-30", "from"),
        ("to=tomorrow", "to"),
    ],
)
def test_bad_paging_and_ranges_name_the_parameter(api, query, field):
    """Each list rejects out-of-range paging and malformed dates by name."""
    for path in ("/nights", "/episodes"):
        response = api.get(f"{path}?{query}")
        assert response.status_code == 422 and fields(response) == {field}


def test_the_largest_page_is_500(api):
    """limit=500 is accepted and echoed back."""
    assert api.get("/medicines?limit=500").json()["limit"] == 500


def test_an_unknown_address_under_the_api_is_a_json_404(api, client):
    """Even outside any route the API answers in its own error shape."""
    for path in ("/nope", "/nights/2026-11-20/extra", "/medicines/a/b"):
        response = api.get(path)
        assert response.status_code == 404 and response["Content-Type"].startswith(
            "application/json"
        )
        assert response.json()["detail"][0]["field"] is None
    assert client.post("/api/v1/nope").status_code == 404


def test_a_wrong_method_is_a_405(api):
    """POST to a night is not a route."""
    assert api.post("/nights/2026-11-20", {}).status_code == 405


def test_text_with_a_nul_or_lone_surrogate_is_refused(client, owner_headers):
    """Such text could not be stored (PostgreSQL) or encoded, so it is a 422 on the field."""
    for note in ('"a\\u0000b"', '"\\ud800"'):
        response = put_raw(client, owner_headers, f'{{"note": {note}}}')
        assert response.status_code == 422 and fields(response) == {"note"}
