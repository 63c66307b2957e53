"""Limit/offset paging shared by every list endpoint."""

from __future__ import annotations

from django.db.models import QuerySet
from ninja import Field, Schema

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
# A bound on offset keeps a database from being asked to skip an absurd number of rows (and
# SQLite from being handed an integer it cannot hold).
MAX_OFFSET = 1_000_000


class PageParams(Schema):
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Items per page (at most {MAX_LIMIT})."
    )
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")


class PageMeta(Schema):
    count: int = Field(description="How many items there are in all, over every page.")
    limit: int
    offset: int


def page(queryset: QuerySet | list, params: PageParams) -> tuple[list, dict]:
    """The items of one page and the page's meta fields."""
    if isinstance(queryset, list):
        count = len(queryset)
    else:
        count = queryset.count()
    items = list(queryset[params.offset : params.offset + params.limit])
    return items, {"count": count, "limit": params.limit, "offset": params.offset}
