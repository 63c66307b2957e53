"""Keep share-link, calendar-feed and pharmacy-key tokens out of server logs.

A share link's token is in its path (/s/<token>/), and so is a calendar feed's
(/calendar/<token>.ics) and a series pharmacy's (/series/pharmacy/<token>/); a token in a log file
is a working key to a patient's report, their reminders or a blinded series' sealed key for
whoever can read the logs.
Django's loggers get the filter ``RedactShareTokens`` (settings.LOGGING); the HTTP server's logs
get a gunicorn logger class that writes "/s/[token]/" instead.
Wire it with ``"logger_class": "crampwise.clinician.core.logs.RedactingGunicornLogger"`` in the
gunicorn options (crampwise/server.py), or attach ``RedactShareTokens`` to another logger.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger as GunicornLogger

# Paths under these carry a token; also %2F-encoded or in a Referer header, the same shape.
_TOKEN_PREFIXES = ("/s/", "/calendar/", "/series/pharmacy/")
_TOKEN_PATH = re.compile(
    "(" + "|".join(re.escape(prefix) for prefix in _TOKEN_PREFIXES) + r")[A-Za-z0-9_\-]{8,}"
)


def has_token_path(text: str) -> bool:
    return any(prefix in text for prefix in _TOKEN_PREFIXES)


def redact(text: str) -> str:
    # The substring test first: an access-log line has a few dozen fields, almost none with a
    # token path, so the regex runs only where a token can be.
    return _TOKEN_PATH.sub(r"\1[token]", text) if has_token_path(text) else text


class RedactingGunicornLogger(GunicornLogger):  # type: ignore[misc]  # gunicorn has no types
    """gunicorn's logger, whose access-log lines are written with share tokens redacted."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.access_log.addFilter(_REDACT)
        # gunicorn's error log names the request it failed on ("Error handling request /s/...").
        self.error_log.addFilter(_REDACT)


class RedactShareTokens(logging.Filter):
    """A logging filter for any logger whose messages may include a request path.

    Wired into Django's own loggers by settings.LOGGING: ``django.request`` writes the path of every
    404, 403 and 500 ("Not Found: /s/<token>/"), and the traceback of a 500 may quote it too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the handler's to report, not ours
            return True
        if has_token_path(message):
            # The finished message, not msg and args apart: an argument of any type may hold a path.
            record.msg, record.args = redact(message), ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set, so the redacted traceback is what they print.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# One instance for both of gunicorn's logs: adding it again (a reload) is a no-op. The access log
# is filtered on its finished line, not on each of gunicorn's dozens of fields.
_REDACT = RedactShareTokens()
