"""Stable identifiers and bundle-internal UUIDs for exported resources.

Every resource carries a business identifier `urn:crampwise:<kind>:<owner>:<natural key>`, so an
import (ours or an EHR's conditional create) can recognise a record it has seen before. The
bundle's `urn:uuid:` fullUrls are uuid5 of that identifier: exporting the same data twice gives the
same bundle, and a record keeps its UUID when its values are edited.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, Final
from urllib.parse import quote, unquote

from crampwise.interop.core.codes import BASE, URI_IDENTIFIER_SYSTEM

URN_PREFIX: Final = "urn:crampwise:"
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, BASE)


def encode_part(text: str) -> str:
    """Percent-encode one part of an identifier or code, so ':' and spaces cannot split it."""
    return quote(text, safe="-_.~")


def decode_part(text: str) -> str:
    return unquote(text)


def urn(kind: str, *parts: str | date) -> str:
    """`urn:crampwise:<kind>:<part>:...` with each text part percent-encoded."""
    encoded = [p.isoformat() if isinstance(p, date) else encode_part(p) for p in parts]
    return URN_PREFIX + ":".join([kind, *encoded])


def instant_key(moment: datetime) -> str:
    """A moment in UTC in ISO 8601's basic format, which has no ':' (20251126T021000Z)."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y%m%dT%H%M%S.%fZ" if utc.microsecond else "%Y%m%dT%H%M%SZ")


def identifier(value: str) -> dict[str, Any]:
    return {"system": URI_IDENTIFIER_SYSTEM, "value": value}


def uuid_for(value: str) -> str:
    return str(uuid.uuid5(NAMESPACE, value))


def full_url(value: str) -> str:
    return f"urn:uuid:{uuid_for(value)}"


def crampwise_urn_of(resource: dict[str, Any]) -> str | None:
    """Our own `urn:crampwise:` identifier of a resource, if it has one."""
    idents = resource.get("identifier") or []
    # Most resources have a list of identifiers; QuestionnaireResponse has just one.
    for ident in [idents] if isinstance(idents, dict) else idents:
        if not isinstance(ident, dict):
            continue
        value = ident.get("value")
        if isinstance(value, str) and value.startswith(URN_PREFIX):
            return value
    return None


def urn_parts(value: str) -> list[str]:
    """The decoded parts after `urn:crampwise:`; the kind comes first."""
    return [decode_part(p) for p in value.removeprefix(URN_PREFIX).split(":")]


def if_none_exist(value: str) -> str:
    """The search that makes a transaction's POST a conditional create on our identifier.

    It is a URL query, so '|' and the '%' of encoded parts are escaped once more.
    """
    return "identifier=" + quote(f"{URI_IDENTIFIER_SYSTEM}|{value}", safe=":")
