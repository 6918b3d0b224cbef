"""Hand-made runtime audit lines with chosen timestamps (the writer stamps "now")."""

from __future__ import annotations

import datetime
import json
import pathlib
from collections.abc import Iterable, Sequence
from typing import Any

T0 = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.timezone.utc)

#: the v2 requests each legacy call becomes under the shim (see compat.favorites)
CREATE = ("tweets", "like")
DESTROY = ("tweets", "unlike")
LIST = ("liked_tweets",)
#: method and path of each v2 endpoint, as compat.client records them (account 1)
REQUESTS = {
    "like": ("POST", "/2/users/1/likes"),
    "unlike": ("DELETE", "/2/users/1/likes/1626194750222094336"),
    "liked_tweets": ("GET", "/2/users/1/liked_tweets"),
    "tweets": ("GET", "/2/tweets"),
    "users_me": ("GET", "/2/users/me"),
    "user_by_username": ("GET", "/2/users/by/username/jack"),
}


def at(seconds: float) -> datetime.datetime:
    return T0 + datetime.timedelta(seconds=seconds)


def entry(
    when: datetime.datetime,
    endpoint: str = "favorites/create",
    v2: Sequence[str] | None = CREATE,
    *,
    caller: str | None = "bot.py:10",
    latency_ms: float = 100.0,
    missing: Sequence[str] = (),
    error: tuple[int | None, str, list[int]] | None = None,
    v2_status: int = 200,
) -> dict[str, Any]:
    """One line as AuditLog writes it (``error``: v1.1 status, type, v1.1 codes)."""
    line: dict[str, Any] = {
        "v": 1,
        "time": when.isoformat(timespec="milliseconds"),
        "pid": 4242,
        "endpoint": endpoint,
        "params": {},
        "caller": caller,
        "latency_ms": latency_ms,
    }
    if error is None:
        line["status"] = 200
        line["v2_requests"] = [
            {
                "method": REQUESTS.get(name, ("GET", ""))[0],
                "path": REQUESTS.get(name, ("GET", f"/2/{name}"))[1],
                "status": v2_status,
                "ms": 1.0,
                "endpoint": name,
            }
            for name in (v2 or ())
        ]
        line["rate_limit"] = {"limit": 50, "remaining": 1, "reset": 0, "day_remaining": None}
        line["missing_fields"] = sorted(missing)
    else:
        status, kind, codes = error
        line["status"] = status
        line["error"] = {"type": kind, "message": "x", "v1_codes": codes}
    return line


def write(path: pathlib.Path, lines: Iterable[dict[str, Any] | str]) -> pathlib.Path:
    """Append lines (dicts as compact JSON, strings as they are) to ``path``."""
    with path.open("a", encoding="utf-8") as handle:
        for line in lines:
            text = line if isinstance(line, str) else json.dumps(line, separators=(",", ":"))
            handle.write(text + "\n")
    return path


def burst(
    start_s: float,
    n: int,
    spacing_s: float,
    endpoint: str = "favorites/create",
    v2: Sequence[str] = CREATE,
) -> list[dict[str, Any]]:
    """``n`` calls from ``start_s`` seconds after T0, ``spacing_s`` apart."""
    return [entry(at(start_s + i * spacing_s), endpoint, v2) for i in range(n)]


def sample_log(path: pathlib.Path) -> pathlib.Path:
    """The README's sample: a bot that likes 55 posts in 9 minutes, unlikes 3, lists its
    likes, and meets one deleted post and one unauthorised token."""
    lines: list[dict[str, Any]] = []
    for i in range(55):
        lines.append(
            entry(
                at(10 * i),
                caller="bots/liker.py:42",
                latency_ms=180.0 + (i % 7),
                missing=["favorited", "user.favourites_count"],
            )
        )
    lines.append(
        entry(at(560), error=(404, "NotFound", [144]), caller="bots/liker.py:42", latency_ms=95.0)
    )
    for i in range(3):
        lines.append(
            entry(
                at(600 + 5 * i),
                "favorites/destroy",
                DESTROY,
                caller="bots/liker.py:57",
                latency_ms=150.0 + i,
                missing=["user.favourites_count"],
            )
        )
    lines.append(
        entry(
            at(700),
            "favorites/list",
            ("user_by_username", "liked_tweets", "liked_tweets"),
            caller="scripts/export.py:18",
            latency_ms=1240.5,
            missing=["favorited", "user.favourites_count", "place"],
        )
    )
    lines.append(
        entry(
            at(720),
            "favorites/list",
            LIST,
            caller="scripts/export.py:18",
            latency_ms=610.25,
            missing=["favorited", "user.favourites_count"],
        )
    )
    lines.append(
        entry(
            at(3600),
            "favorites/list",
            None,
            caller="scripts/export.py:18",
            latency_ms=40.0,
            error=(401, "Unauthorized", [89]),
        )
    )
    return write(path, lines)
