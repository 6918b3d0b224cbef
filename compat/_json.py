"""JSON in and out of compat's hot path: orjson when installed (``pip install compat[fast]``),
the standard library otherwise.

:func:`loads` parses v2 answers (:func:`compat.transport._parse`), :func:`dumps` writes the
v1.1 bodies the adapter answers with (:func:`compat.adapter.dump_v1`). Both give what the
standard library gives for every document X or a legacy library produces:

* :func:`loads` falls back to :func:`json.loads` for whatever orjson refuses (a lone UTF-16
  surrogate escape, ``NaN``, a byte-order mark, nesting deeper than 1,024), so a document is
  accepted or refused exactly as before; one difference is left: an integer beyond 64 bits
  comes back from orjson as a float (no X answer carries one). Bodies over
  :data:`FAST_MAX_BYTES` go to the standard library, which needs less memory for them.
* :func:`dumps` writes compact UTF-8 (orjson does not escape non-ASCII characters, the
  standard library path does): the bytes may differ, the parsed value does not. A value orjson
  cannot write (an int beyond 64 bits, a lone surrogate, a non-string key) is written by the
  standard library.

Usage::

    >>> from compat import _json
    >>> _json.loads(b'{"text": "caf\\\\u00e9", "n": 1}')
    {'text': 'café', 'n': 1}
    >>> _json.loads(_json.dumps({"text": "café"})) == {"text": "café"}
    True
    >>> _json.BACKEND in ("orjson", "json")
    True
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

__all__ = ["BACKEND", "FAST_MAX_BYTES", "backend", "dumps", "loads"]

_orjson: ModuleType | None
try:
    import orjson as _orjson
except ImportError:  # the `fast` extra is optional
    _orjson = None

#: The library in use at import: "orjson" or "json".
BACKEND = "orjson" if _orjson is not None else "json"

_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)
#: Larger bodies are parsed by the standard library: orjson's peak memory on a long string is
#: about 13 times the body (136 MB for a hostile 10 MB error message, traced), the standard
#: library's about twice; a page of 100 full-field posts is ~100 KB.
FAST_MAX_BYTES = 1 << 20


def backend() -> str:
    """The library :func:`loads`/:func:`dumps` use now ("orjson" or "json"; tests set
    ``compat._json._orjson = None`` to force the fallback)."""
    return "orjson" if _orjson is not None else "json"


def loads(body: bytes | str) -> Any:
    """The JSON value of ``body``; ValueError (not JSON) or RecursionError (nested deeper than
    Python parses), as :func:`json.loads`."""
    fast = _orjson
    if fast is not None and len(body) <= FAST_MAX_BYTES:
        try:
            return fast.loads(body)
        except fast.JSONDecodeError:
            pass  # the standard library decides: it accepts a little more, or raises its own
    return json.loads(body)


def dumps(value: Any) -> bytes:
    """``value`` as compact JSON bytes (UTF-8 with orjson, ASCII-escaped without)."""
    fast = _orjson
    if fast is not None:
        try:
            result: bytes = fast.dumps(value)
            return result
        except TypeError:  # orjson.JSONEncodeError: a value it cannot write
            pass
    return _ENCODER.encode(value).encode("ascii")
