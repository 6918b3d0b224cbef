"""The hosted gateway's like/unlike routes (AIsa-style), served from the emulator's own state.

Documented (shared/seeds, "Unlike a tweet"): ``POST /apis/v1/twitter/unlike_twitter`` with
``Authorization: Bearer <api key>`` and JSON ``{"tweet_id": "…"}`` → ``{"data": {"liked":
false}}``, idempotent; 400 ``invalid-request`` for a ``tweet_id`` not matching
``^[0-9]{1,19}$``, 403 ``client-forbidden`` when the linked X session lacks ``like.write``
(re-link via ``auth_twitter``), 404 ``resource-not-found`` for a post that does not exist.
**Assumed**: the like route ``/apis/v1/twitter/like_twitter`` ("the inverse operation"; its
route is not documented) and the error body's shape, here problem JSON whose ``type`` is the
documented cause.

Every dataset user has two API keys: :func:`gateway_key` (session with ``like.write``) and
``gateway_key(..., write=False)`` (a session linked without it).

Usage::

    >>> import requests
    >>> from compat.emulator import Emulator
    >>> from compat.emulator.gateway import gateway_key
    >>> with Emulator() as emu:
    ...     key = gateway_key(emu, emu.user_id)
    ...     r = requests.post(emu.base_url + "/apis/v1/twitter/unlike_twitter",
    ...                       json={"tweet_id": "1293593516040269825"},
    ...                       headers={"Authorization": f"Bearer {key}"}, timeout=5)
    ...     r.status_code, r.json()
    (200, {'data': {'liked': False}})
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from urllib.parse import urlsplit

from compat import _v2
from compat.emulator.routing import Context, EmulatorView, Handler, Reply, Route

__all__ = ["GATEWAY_PREFIX", "GATEWAY_ROUTES", "gateway_key"]

#: The gateway's base path (``/apis/v1``), where compat's table puts its routes.
GATEWAY_PREFIX = urlsplit(_v2.DEFAULT_GATEWAY_URL).path.rstrip("/")
_TWEET_ID = re.compile(r"[0-9]{1,19}")


def gateway_key(emu: EmulatorView, user_id: str, *, write: bool = True) -> str:
    """The gateway API key linked to ``user_id``'s X session (with/without ``like.write``)."""
    secret = emu.dataset.token_for(user_id).access_token_secret
    label = f"gateway:{user_id}:{'rw' if write else 'ro'}"
    digest = hmac.new(secret.encode(), label.encode(), hashlib.sha256).hexdigest()[:32]
    return f"gw-{'rw' if write else 'ro'}-{digest}"


def _linked(ctx: Context) -> tuple[str, bool] | None:
    """(user id, has like.write) of the key in the Authorization header, if it is one."""
    header = ctx.header("Authorization") or ""
    if not header.startswith("Bearer "):
        return None
    key = header[len("Bearer ") :].strip()
    for token in ctx.emulator.dataset.tokens():
        for write in (True, False):
            if hmac.compare_digest(gateway_key(ctx.emulator, token.user_id, write=write), key):
                return token.user_id, write
    return None


def _problem(status: int, kind: str, title: str, detail: str) -> Reply:
    return Reply(status, {"title": title, "detail": detail, "type": kind, "status": status})


def _write(liked: bool) -> Handler:
    def handler(ctx: Context) -> Reply:
        linked = _linked(ctx)
        if linked is None:
            return _problem(401, "unauthorized", "Unauthorized", "Invalid or missing API key.")
        user_id, can_write = linked
        try:
            payload = json.loads(ctx.body.decode("utf-8") or "null")
        except (UnicodeDecodeError, ValueError):
            payload = None
        tweet_id = payload.get("tweet_id") if isinstance(payload, dict) else None
        if not isinstance(tweet_id, str) or not _TWEET_ID.fullmatch(tweet_id):
            return _problem(
                400,
                "invalid-request",
                "Invalid Request",
                "tweet_id is required and must match ^[0-9]{1,19}$.",
            )
        if not can_write:
            return _problem(
                403,
                "client-forbidden",
                "Client Forbidden",
                "The linked X session lacks the like.write scope. Re-link via auth_twitter.",
            )
        if ctx.emulator.dataset.tweet(tweet_id) is None:
            return _problem(
                404,
                "resource-not-found",
                "Not Found",
                "The tweet does not exist or is not visible to the source user.",
            )
        state = ctx.emulator.state
        if liked:
            state.like(user_id, tweet_id)
        else:
            state.unlike(user_id, tweet_id)
        return Reply(200, {"data": {"liked": liked}})

    return handler


# method, path and endpoint name from compat's table; auth "none": the handler checks the
# gateway's own API key, X's OAuth does not apply
GATEWAY_ROUTES: tuple[Route, ...] = (
    Route.from_v2(
        _v2.GATEWAY_ROUTES["gateway_like"], _write(True), prefix=GATEWAY_PREFIX, auth="none"
    ),
    Route.from_v2(
        _v2.GATEWAY_ROUTES["gateway_unlike"], _write(False), prefix=GATEWAY_PREFIX, auth="none"
    ),
)
