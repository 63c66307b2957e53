"""Keep share-link tokens out of server logs.

A share link's token is in its path (/s/<token>/), and a token in a log file is a working key to a
patient's report for whoever can read the logs. Django's own 404 logging is avoided in the views;
the HTTP server's access log needs this: a gunicorn logger class that writes "/s/[token]/" instead.
Wire it with ``"logger_class": "crampwise.clinician.core.logs.RedactingGunicornLogger"`` in the
gunicorn options (crampwise/server.py), or attach ``RedactShareTokens`` to another logger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

# Paths under /s/ carry a token; also %2F-encoded or in a Referer header, the same shape.
_TOKEN_PATH = re.compile(r"(/s/)[A-Za-z0-9_\-]{8,}")


def redact(text: str) -> str:
    # The substring test first: an access-log line has a few dozen fields, almost none with a
    # share path, and the regex on each of them cost ~5% of a request.
    return _TOKEN_PATH.sub(r"\1[token]", text) if "/s/" in text else text


class RedactingGunicornLogger(GunicornLogger):  # type: ignore[misc]  # gunicorn has no types
    """gunicorn's logger, whose access-log lines are written with share tokens redacted."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.access_log.addFilter(_REDACT_LINE)


class _RedactLine(logging.Filter):
    """Redacts the finished access-log line.

    The line is made from a few of gunicorn's dozens of fields (every request and response header
    is one); redacting the one line costs one search, where redacting every field cost a check-in
    more than twice what it cost a plain page (benchmarks/http_diary.py, profiled).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), ()
        return True


_REDACT_LINE = _RedactLine()  # one instance: adding it again (a reload, another logger) is a no-op


class RedactShareTokens(logging.Filter):
    """A logging filter for any logger whose messages may include a request path."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
