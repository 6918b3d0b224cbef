"""``compat emulator``: serve the X API v2 Likes emulator until Ctrl-C.

Prints the base URL first (``compat emulator listening on http://127.0.0.1:PORT``), then the
emulator-only test credentials as ``export`` lines a shell or a test harness can use.
SIGINT and SIGTERM stop it cleanly with exit status 0. A bad option (see
:func:`emulator_options`) exits with status 2 and a message naming it, before anything starts.

Usage::

    compat emulator                         # 127.0.0.1, a free port, the shipped dataset
    compat emulator --port 8048 --likes 100000
    compat emulator --plan pay-per-use      # likes refused as a self-serve app is refused
    compat emulator --dataset my-world.json --host 0.0.0.0   # other hosts only when asked
"""

from __future__ import annotations

import argparse
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
    is_loopback,
)
from compat.emulator.dataset import Dataset, DatasetError
from compat.emulator.server import Emulator
from compat.errors import ConfigurationError

__all__ = ["emulator_options", "register", "run"]


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
        "--likes", type=_whole, default=0, help="add N synthetic posts liked by the default user"
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
    parser.set_defaults(func=run)


def _not_offered(plan: Plan) -> list[str]:
    return [e for e, terms in plan.endpoints.items() if not terms.available]


def _banner(emu: Emulator) -> list[str]:
    c = emu.credentials
    user = emu.dataset.user(emu.user_id) or {}
    bearer = emu.oauth2_credentials().bearer_token
    return [
        f"compat emulator listening on {emu.base_url}",
        f"# default user @{user.get('username')} ({emu.user_id}); emulator-only test secrets:",
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


def emulator_options(args: argparse.Namespace) -> dict[str, Any]:
    """The :class:`~compat.emulator.Emulator` keyword arguments for parsed options, checked.

    Raises :class:`~compat.errors.ConfigurationError` naming the option (``--port``...) and
    what it accepts. ``--host`` may name any address: on the command line, asking for one is
    the explicit opt-in (``allow_remote``); :func:`run` warns that others can reach it.
    The ``--dataset`` file is read by :func:`run` (a :class:`DatasetError` if unreadable).
    """
    dataset = args.dataset
    if dataset is not None and (not isinstance(dataset, str) or not dataset):
        raise ConfigurationError(
            f"--dataset must be the path of a dataset JSON file, got {dataset!r}"
        )
    fake_clock = check_flag(args.fake_clock, option="--fake-clock")
    return {
        "likes": check_likes(args.likes, option="--likes"),
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
    dataset = None
    if args.dataset:
        try:
            dataset = Dataset.load(args.dataset)
        except DatasetError as exc:
            print(f"compat emulator: {exc}", file=sys.stderr)
            return 2
    if not is_loopback(options["host"]):
        print(
            f"compat emulator: WARNING: binding {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    emu = Emulator(dataset, **options)
    try:
        emu.start()
    except OSError as exc:
        print(f"compat emulator: cannot bind {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print("\n".join(_banner(emu)), flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        emu.stop()
    print("compat emulator: stopped", flush=True)
    return 0
