"""The emulator's control interface over HTTP, under ``/_emulator/`` (never logged as requests).

=========================================  ==================================================
``GET /_emulator/state``                   likes per user, like-count deltas, pending faults,
                                           rate-limit settings, request count, clock time
``GET /_emulator/likes/{user_id}``         that user's liked post ids, newest like first
``POST /_emulator/faults``                 ``{"endpoint", "kind", "times", "delay", "status"}``
``DELETE /_emulator/faults``               drop every pending fault
``GET /_emulator/requests``                the request log (bodies as UTF-8 text)
``DELETE /_emulator/requests``             clear the request log
``POST /_emulator/rate_limits``            ``{"action": "lift" | "reset" | "scale" | "cap",
                                           "factor", "requests", "window_s"}``
``POST /_emulator/credits``                ``{"action": "deplete" | "refill", "after"}``:
                                           402 CreditsDepleted from now (after N billed)
``POST /_emulator/usage_cap``              ``{"action": "reach" | "set" | "reset", "limit"}``:
                                           429 UsageCapExceeded on post reads
``POST /_emulator/clock``                  ``{"advance": seconds}`` (FakeClock only)
=========================================  ==================================================

``GET /_emulator/state`` also says the plan, the credits, the monthly cap and the anchor (where
the generated timelines end).

Usage::

    >>> import requests
    >>> from compat.emulator import Emulator
    >>> with Emulator() as emu, requests.Session() as s:
    ...     r = s.post(f"{emu.base_url}/_emulator/faults",
    ...                json={"endpoint": "like", "kind": "503", "times": 1})
    ...     pending = [f.kind for f in emu.faults.pending()]
    >>> r.status_code, pending
    (200, ['503'])
"""

from __future__ import annotations

import json
import re
from typing import Any

from compat.emulator.clock import FakeClock
from compat.emulator.routing import EmulatorView, Reply

__all__ = ["CONTROL_PREFIX", "handle_control"]

#: Paths under this prefix are control requests, never logged as requests.
CONTROL_PREFIX = "/_emulator/"
_LIKES = re.compile(r"/_emulator/likes/([0-9]{1,19})/?")


def _reply(status: int, doc: Any) -> Reply:
    return Reply(status, doc)


def _json(body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    value = json.loads(body.decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("the control body must be a JSON object")
    return value


def handle_control(
    emu: EmulatorView, method: str, path: str, query: dict[str, list[str]], body: bytes
) -> Reply:
    """Answer one control request (errors are 400 ``{"error": …}``, unknown paths 404)."""
    try:
        return _dispatch(emu, method, path.rstrip("/") or path, query, body)
    except (ValueError, TypeError) as exc:
        return _reply(400, {"error": str(exc)})


def _dispatch(
    emu: EmulatorView, method: str, path: str, query: dict[str, list[str]], body: bytes
) -> Reply:
    if path == "/_emulator/state" and method == "GET":
        doc = emu.state.snapshot()
        doc.update(
            {
                "default_user": emu.user_id,
                "synthetic_likes": emu.dataset.synthetic,
                # where the generated timelines end (the emulator's start on its clock)
                "anchor": emu.dataset.anchor,
                "faults": [f.to_dict() for f in emu.faults.pending()],
                "rate_limits": emu.rate_limits.describe(),
                "requests": len(emu.requests),
                "clock": emu.now(),
                "plan": emu.plan.name,
                "public_likes": emu.public_likes,
                "credits": emu.credits.describe(),
                "usage_cap": emu.usage_cap.describe(),
            }
        )
        return _reply(200, doc)
    match = _LIKES.fullmatch(path)
    if match and method == "GET":
        liked = emu.state.liked(match.group(1))
        return _reply(200, {"user_id": match.group(1), "count": len(liked), "liked": liked})
    if path == "/_emulator/faults":
        if method == "POST":
            spec = _json(body)
            times = spec.get("times", 1)
            emu.faults.inject(
                str(spec.get("endpoint", "*")),
                str(spec.get("kind", "")),
                times,
                delay=spec.get("delay"),
                status=spec.get("status"),
            )
            return _reply(200, {"ok": True, "pending": len(emu.faults)})
        if method == "DELETE":
            emu.faults.clear()
            return _reply(200, {"ok": True, "pending": 0})
    if path == "/_emulator/requests":
        if method == "GET":
            records = [
                {
                    "method": r.method,
                    "path": r.path,
                    "query": r.query,
                    "endpoint": r.endpoint,
                    "status": r.status,
                    "user_id": r.user_id,
                    "body": r.body.decode("utf-8", "replace"),
                }
                for r in emu.requests
            ]
            return _reply(200, {"requests": records})
        if method == "DELETE":
            emu.clear_requests()
            return _reply(200, {"ok": True})
    if path == "/_emulator/rate_limits" and method == "POST":
        spec = _json(body)
        action = spec.get("action")
        if action == "lift":
            emu.rate_limits.lift()
        elif action == "reset":
            emu.rate_limits.reset()
        elif action == "scale":
            emu.rate_limits.scale(float(spec.get("factor", 1)))
        elif action == "cap":
            emu.rate_limits.cap(spec.get("requests", 0), window_s=spec.get("window_s", 900))
        else:
            raise ValueError("action must be 'lift', 'reset', 'scale' or 'cap'")
        return _reply(200, emu.rate_limits.describe())
    if path == "/_emulator/credits" and method == "POST":
        spec = _json(body)
        action = spec.get("action")
        if action == "deplete":
            emu.credits.deplete(spec.get("after", 0))
        elif action == "refill":
            emu.credits.refill()
        else:
            raise ValueError("action must be 'deplete' or 'refill'")
        return _reply(200, emu.credits.describe())
    if path == "/_emulator/usage_cap" and method == "POST":
        spec = _json(body)
        action = spec.get("action")
        if action == "reach":
            emu.usage_cap.reach()
        elif action == "set":
            if "limit" not in spec:
                raise ValueError("'set' needs a limit (an int >= 0, or null: no cap)")
            emu.usage_cap.set(spec["limit"])
        elif action == "reset":
            emu.usage_cap.reset()
        else:
            raise ValueError("action must be 'reach', 'set' or 'reset'")
        return _reply(200, emu.usage_cap.describe())
    if path == "/_emulator/clock" and method == "POST":
        if not isinstance(emu.clock, FakeClock):
            return _reply(409, {"error": "the emulator runs on the wall clock, not a FakeClock"})
        emu.clock.advance(float(_json(body).get("advance", 0)))
        return _reply(200, {"time": emu.clock.time()})
    return _reply(404, {"error": f"no control route {method} {path}"})
