"""``compat gateway link``: start linking an X account to the gateway API key.

The gateway's writes act as the X account linked to its key, once, by OAuth
(api-reference_twitter_auth_twitter.mdx lines 7-31): ``POST /apis/v1/twitter/auth_twitter``
answers a short-lived ``auth_url`` (about 10 minutes, line 49); the account's owner opens it,
approves, and X sends them back to the gateway, which keeps the session. This command sends
that request with the key from the settings (``COMPAT_GATEWAY_API_KEY`` …) and prints the URL.

No endpoint says whether an account is linked, or which: only a write shows it, so the command
cannot wait for the link to be done. ``compat doctor --probe-write POST_ID`` checks it with an
unlike of a post you have not liked (a no-op).

Exit status: 0 with the URL printed, 1 when the gateway refused (the message says why), 2 on
bad usage (no API key, an unknown scope).

Usage::

    $ compat gateway link                       # the gateway's default scopes
    $ compat gateway link --scopes like.write,tweet.read,users.read --format json

    >>> from compat.cli import main
    >>> main(["gateway", "link", "--scopes", "like.write"])  # doctest: +ELLIPSIS
    2
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from compat import _gateway_reshape, _settings
from compat.errors import ApiError, CompatError, ConfigurationError, InvalidParameter
from compat.gateway import GatewayClient, request_id_of

__all__ = ["link", "register"]


def link(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run ``compat gateway link`` with parsed ``args``; returns the exit status."""
    scopes = None
    if args.scopes is not None:
        scopes = [s for s in args.scopes.split(",") if s.strip()]
    try:
        options: dict[str, object] = {"backend": "gateway", "gateway_url": args.gateway_url}
        settings = _settings.resolve(options, door="compat gateway link")
        gateway = GatewayClient.from_settings(settings)
        started = gateway.link(scopes)
    except (ConfigurationError, InvalidParameter) as exc:
        shown = exc.message.removeprefix("compat gateway link: ")
        print(f"compat gateway link: {shown}", file=err)
        return 2
    except CompatError as exc:
        status = f"HTTP {exc.status}" if isinstance(exc, ApiError) else "no answer"
        print(f"compat gateway link: the gateway refused ({status}): {exc.message}", file=err)
        request_id = request_id_of(exc)
        if request_id is not None:
            print(f"quote this to the gateway's support: request_id {request_id}", file=err)
        return 1
    if getattr(args, "format", "text") == "json" or getattr(args, "json", False):
        doc = {
            "auth_url": started.auth_url,
            "state": started.state,
            "expires_at": started.expires_at,
            "scopes": list(started.scopes),
        }
        print(json.dumps(doc, indent=2), file=out)
        return 0
    expiry = f" before {started.expires_at}" if started.expires_at else " soon (it is short-lived)"
    print("Open this URL in a browser signed in to the X account to link, and approve:", file=out)
    print(f"  {started.auth_url}", file=out)
    print(
        f"It expires{expiry}. Scopes asked for: {', '.join(started.scopes)}.\n"
        "From then on, likes through the gateway with this API key act as that account. "
        "The gateway says nowhere whether the link is done: `compat doctor --probe-write "
        "POST_ID` checks it with an unlike of a post you have not liked (a no-op).",
        file=out,
    )
    return 0


def _main(args: argparse.Namespace) -> int:
    return link(args, sys.stdout, sys.stderr)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``compat gateway link`` to the ``compat`` command line."""
    parser = subparsers.add_parser(
        "gateway",
        help="the hosted gateway backend: link an X account to its API key",
        description="Commands for the hosted gateway backend (COMPAT_GATEWAY_* settings).",
    )
    commands = parser.add_subparsers(dest="gateway_command", metavar="COMMAND", required=True)
    linking = commands.add_parser(
        "link",
        help="start the OAuth link of an X account to the gateway API key; prints the URL",
        description=(
            "POST /apis/v1/twitter/auth_twitter with the gateway API key "
            "(COMPAT_GATEWAY_API_KEY or AISA_API_KEY) and print the URL to open. Exit 0: "
            "printed; 1: the gateway refused; 2: bad usage or no API key."
        ),
    )
    linking.add_argument(
        "--scopes",
        metavar="LIST",
        help="comma-separated X scopes (default the gateway's: "
        + ",".join(_gateway_reshape.DEFAULT_SCOPES)
        + "); likes need like.write,tweet.read,users.read",
    )
    linking.add_argument(
        "--gateway-url", metavar="URL", help="gateway base URL ($COMPAT_GATEWAY_URL)"
    )
    linking.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text for people (default) or json: auth_url, state, expires_at, scopes",
    )
    linking.add_argument(
        "--json", dest="format", action="store_const", const="json", help="--format json"
    )
    linking.set_defaults(func=_main)
