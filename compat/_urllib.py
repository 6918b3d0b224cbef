"""The ``urllib.request`` half of the shim: legacy URLs opened with ``urlopen`` are served by
the same :class:`~compat.adapter.LegacyAdapter` as those sent with ``requests``.

python-twitter-tools (the ``twitter`` package) calls ``urllib.request.urlopen`` with its own
``Request`` objects (headers, a form body, a timeout) and reads ``.read()``, ``.info()``,
``.headers``, ``.getcode()``; an error is the ``urllib.error.HTTPError`` urllib raises, carrying
the v1.1 body. :func:`build_open` wraps ``HTTPHandler.http_open`` / ``HTTPSHandler.https_open``
(every opener's default handlers; :data:`compat.patch.PATCHES` applies and undoes the wrap):
a request whose URL the shim takes becomes a :class:`requests.PreparedRequest` handed to the
adapter's ``send()`` (routing, accounts, the unserved policy and the audit stay there), and
its :class:`requests.Response` becomes what urllib's own handler returns
(``urllib.response.addinfourl``: a status >= 400 goes on to urllib's ``HTTPErrorProcessor``,
which raises ``HTTPError`` as for any server). Every other URL goes to urllib untouched.

Usage::

    >>> import io, urllib.request
    >>> from compat._urllib import to_prepared
    >>> req = urllib.request.Request("https://api.twitter.com/1.1/favorites/create.json",
    ...                              data=b"id=20", headers={"Authorization": "OAuth x"})
    >>> p = to_prepared(req)
    >>> p.method, p.url, p.body, p.headers["Authorization"]
    ('POST', 'https://api.twitter.com/1.1/favorites/create.json', b'id=20', 'OAuth x')
    >>> p.headers["Content-Type"]
    'application/x-www-form-urlencoded'
"""

from __future__ import annotations

import functools
import http.client
import io
import socket
import urllib.error
import urllib.request
import urllib.response
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.hooks import default_hooks
from requests.structures import CaseInsensitiveDict

__all__ = ["build_open", "from_response", "serve", "to_prepared"]

#: An ``http_open`` / ``https_open`` method of a urllib handler.
OpenMethod = Callable[[urllib.request.AbstractHTTPHandler, urllib.request.Request], Any]
#: The adapter that takes a URL (the shim's), or None for urllib's own transport.
Router = Callable[[str], BaseAdapter | None]

# Headers describing the wire encoding of a body requests has already decoded.
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


def to_prepared(req: urllib.request.Request) -> requests.PreparedRequest:
    """The :class:`requests.PreparedRequest` for a urllib ``Request``: method, URL exactly as
    built (the OAuth 1.0a signature covers it), every header, the body, and the form content
    type urllib's own handler adds to a body without one."""
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(req.header_items())
    body: Any = req.data
    if body is not None and "Content-Type" not in headers:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, bytes | bytearray) and "Content-Length" not in headers:
        headers["Content-Length"] = str(len(body))
    prepared = requests.PreparedRequest()
    prepared.method = req.get_method()
    prepared.url = req.full_url
    prepared.headers = headers
    prepared.body = bytes(body) if isinstance(body, bytearray) else body
    prepared.hooks = default_hooks()
    return prepared


def from_response(response: requests.Response, url: str) -> urllib.response.addinfourl:
    """What ``urlopen`` returns for ``response``: ``.read()``, ``.info()``/``.headers`` (an
    ``http.client.HTTPMessage``), ``.status``/``.code``/``.getcode()``, ``.msg``/``.reason``,
    ``.url``/``.geturl()``."""
    body = response.content or b""
    message = http.client.HTTPMessage()
    for name, value in response.headers.items():
        if name.lower() not in _WIRE_HEADERS:  # requests decoded the body already
            message[name] = value
    message["Content-Length"] = str(len(body))
    status = response.status_code
    reason = response.reason or http.client.responses.get(status, "")
    result = urllib.response.addinfourl(io.BytesIO(body), message, url, status)
    result.msg = reason  # type: ignore[attr-defined]  # what HTTPErrorProcessor reads
    result.reason = reason  # type: ignore[attr-defined]
    return result


def serve(adapter: BaseAdapter, req: urllib.request.Request) -> urllib.response.addinfourl:
    """Send ``req`` through ``adapter``; a request that could not be sent raises
    ``urllib.error.URLError``, as urllib's own transport does."""
    timeout = getattr(req, "timeout", None)
    if timeout is socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
        timeout = None
    try:
        response = adapter.send(to_prepared(req), timeout=timeout)
    except requests.RequestException as exc:
        raise urllib.error.URLError(exc) from exc
    return from_response(response, req.full_url)


def build_open(original: OpenMethod, route: Router) -> OpenMethod:
    """Wrap a handler's ``http_open`` / ``https_open``: URLs ``route`` gives an adapter for
    are served by it, every other one by ``original``."""

    @functools.wraps(original)
    def open_url(self: urllib.request.AbstractHTTPHandler, req: urllib.request.Request) -> Any:
        adapter = route(req.full_url)  # full_url: what was asked, even through a proxy
        if adapter is None:
            return original(self, req)
        return serve(adapter, req)

    return open_url
