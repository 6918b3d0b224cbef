"""``compat emulator``: serve the X API v2 Likes emulator until Ctrl-C.

Prints the base URL first (``compat emulator listening on http://127.0.0.1:PORT``), then what it
accepts: the default user, the public halves of its credentials (consumer key, access token)
on a ``#`` line, and every credential, secrets included, as ``export`` lines a shell
(``eval "$(compat emulator ... | grep ^export)"``) or a test harness can use. They are the
emulator's own test values (derived from its dataset, valid nowhere else), printed because a
program must be able to sign with them; real keys never reach the emulator's banner.
SIGINT and SIGTERM stop it cleanly with exit status 0. A bad option (see
:func:`emulator_options`) exits with status 2 and a message naming it, before anything starts.

Usage::

    compat emulator                         # 127.0.0.1, a free port, the shipped dataset
    compat emulator --port 8048 --likes 100000
    compat emulator --plan pay-per-use      # likes refused as a self-serve app is refused
    compat emulator --dataset my-world.json --host 0.0.0.0   # other hosts only when asked
    compat emulator --user my_handle        # the default user is @my_handle
    compat emulator --format json           # the banner as one JSON line, for programs
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from typing import Any

from compat._plans import DEFAULT_PLAN, Plan, plans
from compat.emulator.clock import FakeClock
from compat.emulator.config import (
    check_flag,
    check_host,
    check_likes,
    check_plan,
    check_port,
    check_screen_name,
)
from compat.emulator.server import Emulator
from compat.errors import ConfigurationError

__all__ = ["MAX_LIKES", "banner_json", "emulator_options", "register", "run"]

#: The most synthetic likes ``--likes`` builds on the command line (about 200 MB and a second
#: per million: a bound keeps a typo from filling the memory). ``Emulator(likes=...)`` has none.
MAX_LIKES = 1_000_000

log = logging.getLogger("compat.emulator")


def _whole(text: str) -> int:
    # only the parsing here: the range checks are emulator_options', for argv and Namespaces alike
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def register(subparsers: Any) -> None:
    """Add the ``emulator`` subcommand to the ``compat`` parser."""
    parser = subparsers.add_parser(
        "emulator",
        help="serve an offline X API v2 Likes emulator (real payload shapes, test credentials)",
        description="Serve the X API v2 Likes emulator until Ctrl-C. Binds 127.0.0.1 unless "
        "--host says otherwise.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_whole, default=0, help="port (default 0: any free port)")
    parser.add_argument(
        "--dataset", metavar="PATH", help="a dataset JSON file instead of the shipped one"
    )
    parser.add_argument(
        "--user",
        metavar="SCREEN_NAME",
        help="the default user's handle (the dataset's user of that name, else the default user "
        "renamed), e.g. the one a program hard-codes",
    )
    parser.add_argument(
        "--likes",
        type=_whole,
        default=0,
        metavar="N",
        help=f"add N synthetic posts liked by the default user (0 to {MAX_LIKES:,})",
    )
    parser.add_argument(
        "--no-rate-limits", action="store_true", help="start with the rate limits lifted"
    )
    parser.add_argument(
        "--fake-clock",
        action="store_true",
        help="run on a FakeClock (advance it with POST /_emulator/clock)",
    )
    parser.add_argument(
        "--plan",
        default=DEFAULT_PLAN,
        metavar="NAME",
        help=f"the X API plan to serve: {', '.join(plans())} (default {DEFAULT_PLAN})",
    )
    parser.add_argument(
        "--public-likes",
        action="store_true",
        help="serve likes lookups as before June 2024 (app-only bearers, anyone's likes)",
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="the banner: text lines (default) or json, one JSON object on one line",
    )
    parser.set_defaults(func=run)


def _not_offered(plan: Plan) -> list[str]:
    return [e for e, terms in plan.endpoints.items() if not terms.available]


def _banner(emu: Emulator) -> list[str]:
    c = emu.credentials
    user = emu.dataset.user(emu.user_id) or {}
    bearer = emu.oauth2_credentials().bearer_token
    return [
        f"compat emulator listening on {emu.base_url}",
        f"# default user @{user.get('username')} ({emu.user_id}); it accepts OAuth 1.0a with "
        f"consumer key {c.consumer_key} and access token {c.access_token}, its OAuth 2.0 user "
        "token and the app-only bearer below",
        "# emulator-only test secrets (valid nowhere else), for a shell or a program's env:",
        f"export COMPAT_API_BASE={emu.base_url}",
        f"export X_CONSUMER_KEY={c.consumer_key}",
        f"export X_CONSUMER_SECRET={c.consumer_secret}",
        f"export X_ACCESS_TOKEN={c.access_token}",
        f"export X_ACCESS_TOKEN_SECRET={c.access_token_secret}",
        f"# OAuth 2.0 user token: {bearer}",
        f"# app-only bearer (lookups only): {emu.app_only_bearer}",
        f"# plan {emu.plan.name}: {emu.plan.label}; not offered: "
        f"{', '.join(_not_offered(emu.plan)) or 'nothing'}",
        f"# {emu.dataset.synthetic} synthetic likes; control API under {emu.base_url}/_emulator/",
        "# Ctrl-C to stop",
    ]


def banner_json(emu: Emulator) -> dict[str, Any]:
    """The banner for programs (``--format json``): what the text banner says, as one object.

    Its ``env`` holds the same ``export`` values as the text banner (emulator-only test
    secrets, valid nowhere else)."""
    c = emu.credentials
    user = emu.dataset.user(emu.user_id) or {}
    env = {
        "COMPAT_API_BASE": emu.base_url,
        "X_CONSUMER_KEY": c.consumer_key,
        "X_CONSUMER_SECRET": c.consumer_secret,
        "X_ACCESS_TOKEN": c.access_token,
        "X_ACCESS_TOKEN_SECRET": c.access_token_secret,
    }
    return {
        "base_url": emu.base_url,
        "control_api": f"{emu.base_url}/_emulator/",
        "user": {"id": emu.user_id, "username": user.get("username")},
        "env": env,
        "oauth2_user_token": emu.oauth2_credentials().bearer_token,
        "app_only_bearer": emu.app_only_bearer,
        "plan": {
            "name": emu.plan.name,
            "label": emu.plan.label,
            "not_offered": _not_offered(emu.plan),
        },
        "synthetic_likes": emu.dataset.synthetic,
    }


def emulator_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :class:`~compat.emulator.Emulator` keyword arguments for parsed options, checked.

    Raises :class:`~compat.errors.ConfigurationError` naming the option (``--port``...) and
    what it accepts. ``--host`` may name any address: on the command line, asking for one is
    the explicit opt-in (``allow_remote``); :func:`run` warns that others can reach it.
    The ``--dataset`` file is read when the emulator is made (a
    :class:`~compat.emulator.dataset.DatasetError` naming the file and the bad entry).
    """
    dataset = args.dataset
    if dataset is not None and (not isinstance(dataset, str) or not dataset):
        raise ConfigurationError(
            f"--dataset must be the path of a dataset JSON file, got {dataset!r}"
        )
    fake_clock = check_flag(args.fake_clock, option="--fake-clock")
    user = getattr(args, "user", None)
    likes = check_likes(args.likes, option="--likes")
    if likes > MAX_LIKES:
        raise ConfigurationError(
            f"--likes must be at most {MAX_LIKES:,} on the command line (about 200 MB a "
            f"million), got {likes:,}"
        )
    return {
        "screen_name": check_screen_name(user, option="--user"),
        "likes": likes,
        "host": check_host(args.host, option="--host", allow_remote=True),
        "port": check_port(args.port, option="--port"),
        "clock": FakeClock() if fake_clock else None,
        "rate_limits": not check_flag(args.no_rate_limits, option="--no-rate-limits"),
        "allow_remote": True,
        "plan": check_plan(args.plan, option="--plan").name,
        "public_likes": check_flag(args.public_likes, option="--public-likes"),
    }


def run(args: argparse.Namespace) -> int:
    """Serve until SIGINT/SIGTERM; 0 on a clean stop, 2 on bad options or a bind failure."""
    try:
        options = emulator_options(args)
    except ConfigurationError as exc:
        print(f"compat emulator: {exc}", file=sys.stderr)
        return 2
    try:
        emu = Emulator(args.dataset or None, **options)
    except ConfigurationError as exc:  # a bad --dataset file (DatasetError) or --user
        print(f"compat emulator: {exc}", file=sys.stderr)
        return 2
    # a --host other than loopback is warned about by Emulator.start() (compat.emulator)
    try:
        emu.start()
    except OSError as exc:
        print(
            f"compat emulator: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}; "
            "pick another --port (0: any free one) or --host",
            file=sys.stderr,
        )
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        if getattr(args, "format", "text") == "json":
            print(json.dumps(banner_json(emu)), flush=True)
        else:
            print("\n".join(_banner(emu)), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        emu.stop()
    if getattr(args, "format", "text") == "json":  # stdout holds the one JSON banner
        log.info("emulator.stopped on a signal", extra={"event": "emulator.stopped"})
    else:
        print("compat emulator: stopped", flush=True)
    return 0
