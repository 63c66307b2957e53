"""Blinded series: which pack letter holds the real capsules, and each night's pack. Pure.

The pharmacy fills two kinds of packs for the whole series, "A" and "B": one real, one look-alike
dummy. Which is which (the key) comes from the protocol's key seed through SHA-256, so the key can
be checked again from the record, like a trial's schedule. Every patient's own schedule says which
pack each period uses; the letter alone says nothing about the arm until the key is opened.
"""

from __future__ import annotations

import hashlib

from crampwise.trials.core.design import Arm

PACKS = ("A", "B")


def real_pack(key_seed: int) -> str:
    """The letter of the pack with the real capsules."""
    digest = hashlib.sha256(f"crampwise-series-key:{key_seed}".encode()).digest()
    return PACKS[digest[0] & 1]


def pack_for(arm: Arm, key_seed: int) -> str | None:
    """The pack a night of this arm uses; None for run-in nights (no capsules)."""
    if arm is Arm.BASELINE:
        return None
    real = real_pack(key_seed)
    if arm is Arm.TREATMENT:
        return real
    return PACKS[1 - PACKS.index(real)]
