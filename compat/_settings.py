"""One frozen :class:`Settings` value: everything compat can be told, checked once.

Every way in (:func:`compat.install`, :func:`compat.configure`, :class:`compat.Favorites`,
:func:`compat.mount`, ``compat run``) builds its settings with :func:`resolve`, the same way:
the environment (:mod:`compat._environment`, the only reader of ``os.environ``), then what
:func:`compat.configure` layered on it, then the call's own keywords. An unknown option, a
value of the wrong type or out of range, or an impossible combination raises
:class:`~compat.errors.ConfigurationError` right there, naming the option (or the environment
variable) and what it accepts; nothing is sent and nothing is installed.

:attr:`Settings.backend_name` is the one place that decides between X API v2 (``"x"``) and
the hosted gateway (``"gateway"``).

Usage::

    >>> from compat._settings import resolve
    >>> settings = resolve({"api_base": "http://127.0.0.1:8080/", "timeout": 3}, door="install",
    ...                    environ={})
    >>> settings.api_base, settings.timeout, settings.backend_name
    ('http://127.0.0.1:8080', 3, 'x')
    >>> resolve({"tiemout": 3}, door="install", environ={})
    Traceback (most recent call last):
    ...
    compat.errors.ConfigurationError: install(): unknown option 'tiemout' (did you mean ...
"""

from __future__ import annotations

import dataclasses
import difflib
import importlib
import numbers
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

from compat import _environment
from compat._bounds import (
    DEFAULT_CALL_DEADLINE,
    DEFAULT_MAX_PAGES_PER_CALL,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    Timeout,
)
from compat._plans import PLAN_NAMES
from compat._v2 import DEFAULT_API_BASE, DEFAULT_GATEWAY_URL, GATEWAY_ROUTES, GATEWAY_TIERS
from compat.credentials import Credentials
from compat.errors import ConfigurationError
from compat.params import snowflake

# Checking a configuration loads no HTTP stack (`compat run` checks it before the program
# starts): the classes an option may be an instance of are imported when one is given.
if TYPE_CHECKING:
    import requests

    from compat.client import LikesBackend
    from compat.pagination import PageMemo
    from compat.transport import RetryPolicy

__all__ = [
    "OPTIONS",
    "BackendName",
    "Settings",
    "Validation",
    "check_options",
    "configured_overlay",
    "resolve",
    "swap_overlay",
]

BackendName = Literal["x", "gateway"]
Validation = Literal["strict", "warn", "off"]

_ROUTE = re.compile(r"(/[A-Za-z0-9_.~-]+)+")
# Stands for "whoever the gateway API key is linked to"; it never signs anything.
GATEWAY_ACCOUNT = Credentials("gateway", "gateway", "gateway", "gateway")


@dataclasses.dataclass(frozen=True, repr=False)
class Settings:
    """What one way in was told, after checking; see the module docstring.

    ``accounts``: the registered :class:`~compat.Credentials` (first: the default; empty when
    none was given and the environment has none); ``backend``: ``"x"``, ``"gateway"`` or a
    :class:`~compat.client.LikesBackend` object; transport: ``timeout``, ``proxies``,
    ``verify``, ``cert``, ``retry``, ``session``, ``sleep``, ``clock``; ``validation``:
    ``"strict"``/``"warn"``/``"off"`` or ``None`` (the process-wide mode of
    :mod:`compat.schemas`); the ``gateway_*`` values configure the gateway backend;
    ``plan``: the X API plan the keys are on (:mod:`compat._plans`), for prices and messages
    (default ``"pay-per-use"``, today's self-serve plan); ``token_refreshed`` (a callable) and
    ``token_file`` (a path) receive the rotated pair when an OAuth 2.0 token is refreshed.
    """

    accounts: tuple[Credentials, ...] = ()
    backend: BackendName | LikesBackend = "x"
    api_base: str = DEFAULT_API_BASE
    timeout: Timeout = DEFAULT_TIMEOUT
    proxies: Mapping[str, str] | None = None
    verify: bool | str | None = None
    cert: str | tuple[str, str] | None = None
    retry: RetryPolicy | None = None
    session: requests.Session | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    validation: Validation | None = None
    audit_log: str | None = None
    memo: PageMemo | None = None
    memo_path: str | None = None
    # True: look every liked/unliked post up; False: never (minimal status); "auto": the post
    # cache when it holds the post fresh, else a lookup (the performance issue)
    lookup: bool | Literal["auto"] = "auto"
    # seconds a post seen in a page or lookup stays usable from the post cache (0: no cache);
    # at most 24 h, X's limit for keeping content deleted on X
    post_cache_ttl: float = 900.0
    # at most this many posts per account in the post cache
    post_cache_size: int = 10_000
    filter_pages: int = 10
    # v1.1 calls compat does not serve: "pass" them through untouched (one warning per
    # endpoint) or answer them with a v1.1 "error", never reaching the retired API
    unserved: Literal["pass", "error"] = "pass"
    any_signer: bool = False
    gateway_url: str = DEFAULT_GATEWAY_URL
    gateway_api_key: str | None = None
    gateway_like_route: str = GATEWAY_ROUTES["gateway_like"].path
    gateway_unlike_route: str = GATEWAY_ROUTES["gateway_unlike"].path
    gateway_user_id: str | None = None
    gateway_source: LikesBackend | None = None
    gateway_source_bearer: str | None = None
    # where the gateway backend looks posts up ("gateway": its own read; "x": X's lookup),
    # and the gateway tier of its key (requests per minute, for messages)
    gateway_read: str = "gateway"
    gateway_tier: str | None = None
    plan: str = "pay-per-use"
    token_refreshed: Callable[[Credentials], None] | None = None
    token_file: str | None = None
    # Bounds on hostile answers (docs/dropin.md "Bounds and hostile answers"): decoded bytes
    # of one v2 answer, seconds of one call in total, v2 pages of one call.
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    call_deadline: float = DEFAULT_CALL_DEADLINE
    max_pages_per_call: int = DEFAULT_MAX_PAGES_PER_CALL

    def __repr__(self) -> str:
        shown = [
            f"backend={self.backend_name!r}",
            f"accounts={list(self.accounts)!r}",
            f"api_base={self.api_base!r}",
        ]
        if self.backend_name == "gateway":
            shown.append(f"gateway_url={self.gateway_url!r}")
            shown.append(f"gateway_api_key={'***' if self.gateway_api_key else None!r}")
        if self.audit_log is not None:
            shown.append(f"audit_log={self.audit_log!r}")
        return f"Settings({', '.join(shown)})"

    @property
    def backend_name(self) -> str:
        """``"x"``, ``"gateway"``, or the ``name`` of a backend object given as ``backend``."""
        if isinstance(self.backend, str):
            return self.backend
        return str(getattr(self.backend, "name", type(self.backend).__name__))

    @property
    def transport_options(self) -> dict[str, Any]:
        """The keywords of :class:`~compat.transport.Transport` these settings give."""
        return {
            "session": self.session,
            "timeout": self.timeout,
            "proxies": self.proxies,
            "verify": self.verify,
            "cert": self.cert,
            "retry": self.retry,
            "sleep": self.sleep,
            "clock": self.clock,
        }

    def serving_accounts(self, door: str) -> tuple[Credentials, ...]:
        """The accounts legacy requests are served as; raises when there are none.

        Behind the gateway its API key decides whose like it is, so without credentials of
        its own every request is served as one placeholder account.
        """
        if self.accounts:
            return self.accounts
        if self.backend_name == "gateway" or not isinstance(self.backend, str):
            return (GATEWAY_ACCOUNT,)
        raise ConfigurationError(
            f"{_at(door)}: no credentials: pass credentials=compat.Credentials(...) or set, in "
            "the environment (per family, the four OAuth 1.0a values or a user access "
            "token): " + _environment.looked_for()
        )


# -- the option table ------------------------------------------------------------------------

Check = Callable[[str, object], object]


@dataclasses.dataclass(frozen=True)
class Option:
    """One keyword every way in accepts: ``check(name, value)`` returns the canonical value or
    raises ConfigurationError; ``accepts`` says what is accepted, for the error message."""

    check: Check
    accepts: str


def _fail(name: str, accepts: str, value: object) -> ConfigurationError:
    shown = "***" if "key" in name or "bearer" in name or "token" in name else repr(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return ConfigurationError(f"{name} must be {accepts}, got {shown}")


def _number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _check_timeout(name: str, value: object) -> object:
    accepts = "None, a number of seconds > 0, or a (connect, read) pair of them"
    if value is None:
        return None
    if _number(value):
        if not 0 < float(value) < float("inf"):  # type: ignore[arg-type]
            raise _fail(name, accepts, value)
        return value
    if isinstance(value, tuple) and len(value) == 2:
        for part in value:
            if part is not None and (not _number(part) or not 0 < float(part) < float("inf")):
                raise _fail(name, accepts, value)
        return value
    raise _fail(name, accepts, value)


def _check_proxies(name: str, value: object) -> object:
    accepts = "None or a mapping of scheme to proxy URL strings"
    if value is None:
        return None
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise _fail(name, accepts, value)
    return dict(value)


def _check_verify(name: str, value: object) -> object:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    raise _fail(name, "True, False or a CA bundle path", value)


def _check_cert(name: str, value: object) -> object:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return value
    raise _fail(name, "None, a client certificate path or a (cert, key) pair of paths", value)


def _check_url(name: str, value: object) -> object:
    accepts = "an http(s) URL with a host and no query, like 'https://api.x.com'"
    if not isinstance(value, str):
        raise _fail(name, accepts, value)
    try:
        parts = urllib.parse.urlsplit(value.strip())
        port = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError:
        raise _fail(name, accepts, value) from None
    del port
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise _fail(name, accepts, value)
    return value.strip().rstrip("/")


def _check_path(name: str, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, (str, os.PathLike)) and os.fspath(value):
        return os.fspath(value)
    raise _fail(name, "None or a file path (str or os.PathLike)", value)


def _check_bool(name: str, value: object) -> object:
    if isinstance(value, bool):
        return value
    raise _fail(name, "True or False", value)


def _check_env_bool(name: str, value: object) -> object:
    if isinstance(value, str):
        return value.strip() == "1"
    return _check_bool(name, value)


def _check_lookup(name: str, value: object) -> object:
    if isinstance(value, bool) or value == "auto":
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "0", "false", "auto"):
        text = value.strip().lower()
        return "auto" if text == "auto" else text in ("1", "true")
    raise _fail(name, "True, False or 'auto'", value)


def _check_post_cache_ttl(name: str, value: object) -> object:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise _fail(name, "seconds from 0 to 86400 (24 hours)", value) from None
    if _number(value) and 0 <= float(value) <= 86_400:  # type: ignore[arg-type]
        return float(value)  # type: ignore[arg-type]
    raise _fail(name, "seconds from 0 to 86400 (24 hours)", value)


def _check_post_cache_size(name: str, value: object) -> object:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1_000_000:
        return value
    raise _fail(name, "an int from 1 to 1000000", value)


def _check_unserved(name: str, value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in ("pass", "error"):
        return value.strip().lower()
    raise _fail(name, "'pass' or 'error'", value)


def _check_filter_pages(name: str, value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10_000:
        return value
    raise _fail(name, "an int from 1 to 10000", value)


def _check_max_response_bytes(name: str, value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 1024 <= value <= 2**31:
        return value
    raise _fail(name, "an int of bytes from 1024 to 2**31 (2 GiB)", value)


def _check_call_deadline(name: str, value: object) -> object:
    if _number(value) and 0 < float(value) <= 86_400:  # type: ignore[arg-type]
        return float(value)  # type: ignore[arg-type]
    raise _fail(name, "a number of seconds > 0 and at most 86400 (one day)", value)


def _check_max_pages_per_call(name: str, value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10_000:
        return value
    raise _fail(name, "an int from 1 to 10000", value)


def _check_validation(name: str, value: object) -> object:
    if value is None or value in ("strict", "warn", "off"):
        return value
    raise _fail(name, "'strict', 'warn', 'off' or None", value)


def _check_backend(name: str, value: object) -> object:
    if isinstance(value, str):
        chosen = value.strip().lower()
        if chosen in ("x", "gateway"):
            return chosen
    elif _is_backend(value):
        return value
    raise _fail(name, "'x', 'gateway' or a compat.LikesBackend object", value)


def _is_backend(value: object) -> bool:
    from compat.client import LikesBackend  # a protocol: any object can be one

    return isinstance(value, LikesBackend)


def _check_source(name: str, value: object) -> object:
    if value is None or _is_backend(value):
        return value
    raise _fail(name, "None or a compat.LikesBackend (e.g. a LikesClient)", value)


def _check_secret(name: str, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _fail(name, "a non-empty string", value)


def _check_route(name: str, value: object) -> object:
    if isinstance(value, str) and _ROUTE.fullmatch(value):
        return value
    raise _fail(name, "a path like '/twitter/like_twitter'", value)


def _check_user_id(name: str, value: object) -> object:
    if value is None:
        return None
    try:
        return snowflake(value, name)
    except Exception:  # InvalidParameter is a v1.1 error; this is a setup mistake
        raise _fail(name, "a numeric user id", value) from None


def _instance(module: str, kind: str, accepts: str) -> Check:
    """A check for ``None`` or an instance of ``module.kind``, imported only for a value."""

    def check(name: str, value: object) -> object:
        if value is None or isinstance(value, getattr(importlib.import_module(module), kind)):
            return value
        raise _fail(name, accepts, value)

    return check


def _callable(name: str, value: object) -> object:
    if callable(value):
        return value
    raise _fail(name, "a callable", value)


def _check_plan(name: str, value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in PLAN_NAMES:
        return value.strip().lower()
    raise _fail(name, "one of " + ", ".join(repr(p) for p in PLAN_NAMES), value)


def _check_gateway_read(name: str, value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in ("gateway", "x"):
        return value.strip().lower()
    raise _fail(name, "'gateway' (the gateway's own post read) or 'x' (X's lookup)", value)


def _check_gateway_tier(name: str, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in GATEWAY_TIERS:
        return value.strip().lower()
    raise _fail(name, "one of " + ", ".join(repr(t) for t in GATEWAY_TIERS), value)


def _check_credentials(name: str, value: object) -> object:
    """``None``, one Credentials, a non-empty list of them, ``{name: Credentials}``, or a
    mapping of Credentials fields; normalised to a tuple."""
    accepts = (
        "a compat.Credentials, a non-empty list of them, {name: Credentials} "
        "or a mapping of Credentials fields (consumer_key, consumer_secret, ...)"
    )
    if value is None:
        return ()
    if isinstance(value, Credentials):
        return (value,)
    if isinstance(value, Mapping):
        values = list(value.values())
        if values and all(isinstance(v, Credentials) for v in values):
            return tuple(values)
        try:
            return (Credentials(**value),)
        except TypeError:
            raise _fail(name, accepts, "a mapping with other keys") from None
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        found = list(value)
        if found and all(isinstance(c, Credentials) for c in found):
            return tuple(found)
    raise _fail(name, accepts, type(value).__name__)


#: Every option a way in accepts, by keyword. ``credentials`` fills ``Settings.accounts``.
OPTIONS: Mapping[str, Option] = {
    "credentials": Option(_check_credentials, "Credentials, a list or a mapping of them"),
    "backend": Option(_check_backend, "'x', 'gateway' or a LikesBackend"),
    "api_base": Option(_check_url, "an http(s) URL"),
    "timeout": Option(_check_timeout, "seconds or (connect, read)"),
    "proxies": Option(_check_proxies, "a mapping"),
    "verify": Option(_check_verify, "a bool or a CA bundle path"),
    "cert": Option(_check_cert, "a path or (cert, key)"),
    "retry": Option(
        _instance("compat.transport", "RetryPolicy", "None or a compat.RetryPolicy"),
        "a RetryPolicy",
    ),
    "session": Option(
        _instance("requests", "Session", "None or a requests.Session"), "a requests.Session"
    ),
    "sleep": Option(_callable, "a callable"),
    "clock": Option(_callable, "a callable"),
    "validation": Option(_check_validation, "'strict', 'warn' or 'off'"),
    "audit_log": Option(_check_path, "a file path"),
    "memo": Option(
        _instance("compat.pagination", "PageMemo", "None or a compat.PageMemo"), "a PageMemo"
    ),
    "memo_path": Option(_check_path, "a file path"),
    "lookup": Option(_check_lookup, "True, False or 'auto'"),
    "post_cache_ttl": Option(_check_post_cache_ttl, "seconds from 0 to 86400"),
    "post_cache_size": Option(_check_post_cache_size, "an int from 1 to 1000000"),
    "unserved": Option(_check_unserved, "'pass' or 'error'"),
    "filter_pages": Option(_check_filter_pages, "an int from 1 to 10000"),
    "any_signer": Option(_check_env_bool, "True or False"),
    "gateway_url": Option(_check_url, "an http(s) URL"),
    "gateway_api_key": Option(_check_secret, "a non-empty string"),
    "gateway_like_route": Option(_check_route, "a path"),
    "gateway_unlike_route": Option(_check_route, "a path"),
    "gateway_user_id": Option(_check_user_id, "a numeric user id"),
    "gateway_source": Option(_check_source, "a LikesBackend"),
    "gateway_source_bearer": Option(_check_secret, "a non-empty string"),
    "gateway_read": Option(_check_gateway_read, "'gateway' or 'x'"),
    "gateway_tier": Option(_check_gateway_tier, "a gateway tier name"),
    "plan": Option(_check_plan, "a plan name"),
    "token_refreshed": Option(_callable, "a callable"),
    "token_file": Option(_check_path, "a file path"),
    "max_response_bytes": Option(_check_max_response_bytes, "an int from 1024 to 2**31"),
    "call_deadline": Option(_check_call_deadline, "seconds > 0, at most 86400"),
    "max_pages_per_call": Option(_check_max_pages_per_call, "an int from 1 to 10000"),
}
_FIELD = {"credentials": "accounts"}


def _at(door: str) -> str:
    """How an error names the way in: ``install()``, or ``compat run`` for the command."""
    return door if " " in door else f"{door}()"


def _unknown(door: str, name: str, allowed: Sequence[str]) -> ConfigurationError:
    close = difflib.get_close_matches(name, allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ConfigurationError(
        f"{_at(door)}: unknown option {name!r}{hint}; accepted: {', '.join(sorted(allowed))}"
    )


def _checked(door: str, options: Mapping[str, object], allowed: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in options.items():
        if name not in allowed:
            raise _unknown(door, name, allowed)
        try:
            values[name] = OPTIONS[name].check(name, value)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{_at(door)}: {exc.message}") from None
    return values


def _from_environment(environ: Mapping[str, str] | None) -> dict[str, Any]:
    """The options the environment sets, checked, with the variable named on failure."""
    env = _environment.current() if environ is None else environ
    values: dict[str, Any] = {}
    fields = _environment.credential_fields(env)
    if fields is not None:
        values["accounts"] = (Credentials(**fields),)
    for option in _environment.SETTING_VARIABLES:
        if option not in OPTIONS:
            continue
        raw = _environment.setting(option, env)
        if raw is None:
            continue
        try:
            values[option] = OPTIONS[option].check(option, raw)
        except ConfigurationError as exc:
            source = _environment.setting_source(option, env)
            raise ConfigurationError(f"${source}: {exc.message}") from None
    return values


# What compat.configure() layered on the environment; replaced whole, under the lock.
_overlay_lock = threading.Lock()
_overlay: dict[str, Any] = {}


def configured_overlay() -> dict[str, Any]:
    """A copy of the checked options :func:`compat.configure` has in force."""
    with _overlay_lock:
        return dict(_overlay)


def swap_overlay(new: Mapping[str, Any]) -> dict[str, Any]:
    """Put ``new`` in force for :func:`compat.configure`; returns what was there."""
    global _overlay
    with _overlay_lock:
        previous, _overlay = _overlay, dict(new)
    return previous


def check_options(
    options: Mapping[str, object], *, door: str, allowed: Sequence[str] | None = None
) -> dict[str, Any]:
    """``options`` checked (keyed by Settings field), or ConfigurationError naming ``door``.

    An option given as ``None`` counts as not given: the layer below (what :func:`configure`
    set, the environment, the default) decides.
    """
    given = {k: v for k, v in options.items() if v is not None}
    values = _checked(door, given, list(allowed if allowed is not None else OPTIONS))
    return {_FIELD.get(k, k): v for k, v in values.items()}


def resolve(
    options: Mapping[str, object],
    *,
    door: str,
    environ: Mapping[str, str] | None = None,
    layered: bool = True,
    allowed: Sequence[str] | None = None,
    overlay: Mapping[str, Any] | None = None,
) -> Settings:
    """The :class:`Settings` of one way in: environment, then :func:`compat.configure`'s
    options (``layered``; ``overlay`` stands in for them when given), then ``options``;
    checked, with every error naming ``door``."""
    given = check_options(options, door=door, allowed=allowed)
    values = _from_environment(environ)
    if overlay is not None:
        values.update(overlay)
    elif layered:
        values.update(configured_overlay())
    values.update(given)
    # A backend object decides the account and the transport itself.
    if not isinstance(values.get("backend", "x"), str):
        clash = sorted(
            k for k in ("accounts", "api_base") if k in given and given[k] not in ((), None)
        )
        if clash:
            raise ConfigurationError(
                f"{_at(door)}: pass either backend=<LikesBackend object> or "
                f"{' and '.join('credentials' if k == 'accounts' else k for k in clash)}, "
                "not both: the object decides the account and where requests go"
            )
    settings = Settings(**values)
    if settings.backend == "gateway" and settings.gateway_api_key is None:
        raise ConfigurationError(
            f"{_at(door)}: backend 'gateway' needs an API key: gateway_api_key= or "
            "$COMPAT_GATEWAY_API_KEY (or $AISA_API_KEY)"
        )
    x_reader = settings.accounts or settings.gateway_source or settings.gateway_source_bearer
    if settings.backend == "gateway" and settings.gateway_read == "x" and not x_reader:
        raise ConfigurationError(
            f"{_at(door)}: gateway_read='x' looks posts up through X: it needs X credentials "
            "(the linked account's, or $COMPAT_GATEWAY_SOURCE_BEARER for an app-only bearer)"
        )
    return settings
