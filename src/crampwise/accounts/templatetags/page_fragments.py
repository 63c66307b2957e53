"""``{% fragment "name" a b ... %}...{% endfragment %}``: render once per distinct (a, b, ...), then reuse.

Why: the page frame (head, navigation, footer) is the same for everyone who shares a language,
a night-mode state and a current page, yet rendering its ~40 URL, static-file and translation
tags cost more than the rest of a small page such as the night history.
Django's ``{% cache %}`` would do the same through the cache backend (Redis when configured, so a
network round trip); this keeps the HTML in the worker's memory, where URLs and translations
never change while it runs.

Rule: everything a fragment shows must follow from its vary-on values. Never put anything about
the person (their name, data, CSRF token, the current path) inside one.
"""

from __future__ import annotations

import threading

from django import template
from django.conf import settings

register = template.Library()

_MAX_FRAGMENTS = 4096  # a bound, not a tuning knob: a handful of values per vary-on argument
_fragments: dict[tuple, str] = {}
_lock = threading.Lock()


class FragmentNode(template.Node):
    def __init__(self, name: str, vary_on: list[template.base.FilterExpression], nodelist):
        self.name = name
        self.vary_on = vary_on
        self.nodelist = nodelist

    def render(self, context) -> str:
        if settings.DEBUG:  # templates may change under the running server
            return self.nodelist.render(context)
        key = (self.name, *(v.resolve(context) for v in self.vary_on))
        html = _fragments.get(key)
        if html is None:
            html = self.nodelist.render(context)
            with _lock:
                if len(_fragments) >= _MAX_FRAGMENTS:
                    _fragments.clear()
                _fragments[key] = html
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError(
            'usage: {% fragment "name" value ... %}...{% endfragment %}'
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(bits[1][1:-1], [parser.compile_filter(b) for b in bits[2:]], nodelist)


def clear() -> None:
    """Forget every fragment (tests that switch languages or settings)."""
    with _lock:
        _fragments.clear()
