"""Share-link tokens and clinician codes. Pure; no Django.

A share link is a bearer secret: whoever holds the URL reads the report. So the token is long
(256 random bits), shown once, and only its SHA-256 is stored: a copy of the database (a backup, a
leaked dump) cannot be turned back into working links. A plain hash is enough because the token is
random and long; a slow password hash would only slow every page view.

A clinician code is not a secret: a clinician reads it to a patient in the consultation room, and
entering it grants the clinician access, which only the patient can do for their own diary. It
must be easy to read aloud and type, so its alphabet leaves out look-alikes (0/O, 1/I/L).
"""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_token() -> str:
    """A fresh URL-safe token (43 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 as 64 hex digits."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code(length: int = CODE_LENGTH) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text: str) -> str:
    """A code as typed ("abcd-efgh ", "ABCD EFGH") in its stored form ("ABCDEFGH")."""
    return "".join(ch for ch in text.upper() if ch not in " -\t\u00a0")


def format_code(code: str) -> str:
    """Split in two halves for reading aloud: "ABCD-EFGH"."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}" if len(code) >= 6 else code


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)
