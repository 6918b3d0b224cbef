"""Checks of the emulator's settings, shared by :class:`~compat.emulator.Emulator` and the CLI.

A bad setting is a setup mistake, not a bad API request: each check raises
:class:`~compat.errors.ConfigurationError` naming the option (``port`` for the constructor,
``--port`` for the CLI) and the values it accepts, before anything is bound or started.

Usage::

    >>> from compat.emulator.config import check_port
    >>> check_port(8048)
    8048
    >>> check_port(70000, option="--port")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    compat.errors.ConfigurationError: --port must be an int between 0 and 65535 ...
    >>> check_plan("pay-per-use").self_serve
    True
"""

from __future__ import annotations

import ipaddress
import os
import re

from compat._plans import Plan, get_plan, plans
from compat.emulator.clock import Clock
from compat.emulator.dataset import Dataset
from compat.errors import ConfigurationError

__all__ = [
    "LOOPBACK_HOSTS",
    "MAX_PORT",
    "check_clock",
    "check_dataset",
    "check_flag",
    "check_host",
    "check_likes",
    "check_plan",
    "check_port",
    "check_screen_name",
    "is_loopback",
]

MAX_PORT = 65535
#: How the loopback addresses are written in the messages.
LOOPBACK_HOSTS = "127.0.0.1, any 127.x.x.x, ::1 or localhost"


def is_loopback(host: str) -> bool:
    """Whether ``host`` is ``localhost`` or a loopback IP address (127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(value: object, *, option: str = "port") -> int:
    """A TCP port to bind: an int from 0 (any free port) to 65535."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_PORT:
        return value
    raise ConfigurationError(
        f"{option} must be an int between 0 and {MAX_PORT} (0: any free port), got {value!r}"
    )


def check_likes(value: object, *, option: str = "likes") -> int:
    """How many synthetic likes to add: an int >= 0."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ConfigurationError(
        f"{option} must be >= 0 (an int: the number of synthetic likes), got {value!r}"
    )


def check_host(value: object, *, option: str = "host", allow_remote: bool = False) -> str:
    """The address to bind: loopback, or (``allow_remote``) any non-empty host name."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(
            f"{option} must be a non-empty host name or address, e.g. 127.0.0.1, got {value!r}"
        )
    if not allow_remote and not is_loopback(value):
        # the emulator hands out test secrets and accepts writes: other machines must not reach
        # it unless asked for explicitly
        raise ConfigurationError(
            f"{option} must be a loopback address ({LOOPBACK_HOSTS}) unless allow_remote=True, "
            f"got {value!r}"
        )
    return value


def check_clock(value: object, *, option: str = "clock") -> Clock | None:
    """None (the wall clock) or a clock instance with ``time() -> float``."""
    if value is None:
        return None
    # a class (FakeClock instead of FakeClock()) has a `time` attribute too
    if isinstance(value, Clock) and not isinstance(value, type) and callable(value.time):
        return value
    raise ConfigurationError(
        f"{option} must be None (the wall clock) or a Clock instance with time() -> float, "
        f"e.g. FakeClock() or SystemClock(), got {value!r}"
    )


def check_dataset(value: object, *, option: str = "dataset") -> Dataset | None:
    """None (the shipped dataset), a :class:`~compat.emulator.dataset.Dataset`, or the path
    of a dataset JSON file (str or os.PathLike), read here: a file that cannot be read or is
    not a dataset raises :class:`~compat.emulator.dataset.DatasetError` (a
    ConfigurationError) naming the file and the bad entry."""
    if isinstance(value, (str, os.PathLike)) and not isinstance(value, bool):
        if not os.fspath(value):
            raise ConfigurationError(f"{option} must be a dataset file's path, got ''")
        return Dataset.load(value)
    if value is not None and not isinstance(value, Dataset):
        raise ConfigurationError(
            f"{option} must be None (the shipped dataset), the path of a dataset JSON file or "
            f"a compat.emulator.Dataset, got {type(value).__name__}"
        )
    return value


def check_screen_name(value: object, *, option: str = "screen_name") -> str | None:
    """None (the dataset's default user) or a v1.1 handle, ``^[A-Za-z0-9_]{1,15}$`` (a leading
    ``@`` is dropped)."""
    if value is None:
        return None
    name = value[1:] if isinstance(value, str) and value.startswith("@") else value
    if isinstance(name, str) and re.fullmatch(r"[A-Za-z0-9_]{1,15}", name):
        return name
    raise ConfigurationError(
        f"{option} must be a handle of 1 to 15 letters, digits or _ (a leading @ is allowed), "
        f"got {value!r}"
    )


def check_flag(value: object, *, option: str) -> bool:
    """A switch: True or False (not 0/1, not a string)."""
    if not isinstance(value, bool):
        raise ConfigurationError(f"{option} must be True or False, got {value!r}")
    return value


def check_plan(value: object, *, option: str = "plan") -> Plan:
    """A plan of compat's plans table, by name (``"enterprise"``, ``"pay-per-use"``…) or as a
    :class:`~compat._plans.Plan`."""
    if isinstance(value, Plan):
        return value
    if isinstance(value, str) and value in plans():
        return get_plan(value)
    raise ConfigurationError(
        f"{option} must be one of {', '.join(plans())} (compat's plans table), got {value!r}"
    )
