"""Signals of the diary's bulk writes, which send no model signals of their own."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a bulk write of one person's nights (the check-in's upsert, a CSV or FHIR import),
# inside its transaction, with ``user_id``.
nights_written = Signal()
