"""The default bounds of one call, as plain values with no imports.

Settings (checked before anything starts, e.g. by ``compat run`` before the program runs),
the transport and the page walk all read them from here, so checking a configuration does
not load the HTTP stack. Why each value is what it is: the comments below (docs/dropin.md
"Bounds and hostile answers").

Usage::

    >>> from compat._bounds import DEFAULT_TIMEOUT, DEFAULT_MAX_PAGES_PER_CALL
    >>> DEFAULT_TIMEOUT, DEFAULT_MAX_PAGES_PER_CALL
    ((5.0, 30.0), 50)
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_CALL_DEADLINE",
    "DEFAULT_MAX_PAGES_PER_CALL",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_TIMEOUT",
    "Timeout",
]

#: (connect, read) seconds; requests itself has no default timeout at all.
DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 30.0)
#: What requests takes as ``timeout``: seconds, or a (connect, read) pair.
Timeout = float | tuple[float | None, float | None] | None

# X documents no maximum answer size: the largest answer compat asks for, a 100-post
# liked_tweets page with every field and expansion, is ~110 KB from the emulator's real-data
# posts; real pages with long texts, media and quoted posts are a few hundred KB. 16 MiB is far
# above any real page and keeps a hostile one (and its parsed objects, ~10x) well inside a
# process's memory.
#: Most decoded bytes one v2 answer may have.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
#: Seconds one call (all its requests, retries and waits) may take: four default read
#: timeouts, room for the bounded retries of a slow but honest server.
DEFAULT_CALL_DEADLINE = 120.0
#: Most v2 pages one legacy call fetches: 50 pages of 100 scan 5,000 likes, 25 times what the
#: largest v1.1 page (count=200) needs; empty pages that always carry a next_token cannot hold
#: a call longer than that.
DEFAULT_MAX_PAGES_PER_CALL = 50
