"""compat's pytest plugin: the X API v2 emulator and the shim as fixtures for a user's tests.

Registered through the ``pytest11`` entry point, so it loads wherever compat is installed;
until a test asks for one of its fixtures or markers it does nothing, and importing it loads
neither the emulator nor ``requests`` (the fixtures import them when they first run).

Fixtures:

- ``x_emulator``: an :class:`compat.emulator.Emulator` started for one test and stopped
  after it. Its options come from the ``x_emulator`` marker or from indirect
  parametrisation (a dict): ``plan``, ``likes``, ``screen_name``, ``dataset``, ``clock``,
  ``rate_limits``, ``public_likes`` (passed to ``Emulator``) and ``faults`` (a list of
  ``(endpoint, kind, times)`` tuples or dicts for :meth:`Faults.inject
  <compat.emulator.faults.Faults.inject>`).
- ``x_emulator_session``: one emulator for the whole session (options by indirect
  parametrisation only); its state is shared, ``reset()`` clears it.
- ``compat_shim``: the shim installed against ``x_emulator`` for one test (the emulator's keys
  also in ``X_*`` environment variables, as a user's shell has them), removed after it; the
  value is the emulator.

Marker ``compat_disabled``: the test (setup, call and teardown) runs inside
:func:`compat.disabled`, so a user's own v1.1 cassettes (vcrpy) or mocks (responses,
requests-mock) answer the v1.1 favorites calls even where the shim is installed (``compat
run``, an ``install()`` in a conftest).

Usage::

    >>> import compat.pytest_plugin as plugin
    >>> plugin.emulator_options({"likes": 5, "faults": [("like", "503", 1)]})
    ({'likes': 5}, [{'endpoint': 'like', 'kind': '503', 'times': 1}])
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pytest

from compat.errors import CompatError

if TYPE_CHECKING:
    from compat.emulator import Emulator

__all__ = [
    "MARKERS",
    "compat_shim",
    "emulator_options",
    "x_emulator",
    "x_emulator_session",
]

#: The markers this plugin registers (``--strict-markers`` accepts them).
MARKERS: tuple[str, ...] = (
    "x_emulator(**options): options of the x_emulator fixture (plan, likes, screen_name, "
    "dataset, clock, rate_limits, public_likes, faults)",
    "compat_disabled: run the test inside compat.disabled(): v1.1 favorites requests reach the "
    "test's own cassettes or mocks instead of the shim",
)

#: Environment variables compat_shim sets to the emulator's keys (what legacy code reads).
_ENV_KEYS: tuple[tuple[str, str], ...] = (
    ("X_CONSUMER_KEY", "consumer_key"),
    ("X_CONSUMER_SECRET", "consumer_secret"),
    ("X_ACCESS_TOKEN", "access_token"),
    ("X_ACCESS_TOKEN_SECRET", "access_token_secret"),
)


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, Any, Any]:
    if item.get_closest_marker("compat_disabled") is None:
        return (yield)
    # imported here, not at the top: most projects never use the marker (no import cost)
    from compat.adapter import disabled

    with disabled():
        return (yield)


def _fault(spec: object) -> dict[str, Any]:
    if isinstance(spec, Mapping):
        fault = dict(spec)
    elif isinstance(spec, Sequence) and not isinstance(spec, str) and 2 <= len(spec) <= 3:
        fault = dict(zip(("endpoint", "kind", "times"), spec, strict=False))
    else:
        raise pytest.UsageError(
            f"x_emulator: a fault is (endpoint, kind[, times]) or a dict, not {spec!r}"
        )
    if not {"endpoint", "kind"} <= set(fault):
        raise pytest.UsageError(f"x_emulator: a fault needs an endpoint and a kind: {spec!r}")
    return fault


def emulator_options(options: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split fixture options into ``Emulator`` keyword arguments and the faults to inject."""
    kwargs = dict(options)
    faults = kwargs.pop("faults", None) or ()
    if isinstance(faults, (str, Mapping)) or not isinstance(faults, Sequence):
        faults = [faults]
    return kwargs, [_fault(spec) for spec in faults]


def _options(request: pytest.FixtureRequest, *, marker: bool) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if marker:
        found = request.node.get_closest_marker("x_emulator")
        if found is not None:
            if found.args:
                raise pytest.UsageError("x_emulator marker: options are keywords only")
            options.update(found.kwargs)
    param = getattr(request, "param", None)
    if param is not None:
        if not isinstance(param, Mapping):
            raise pytest.UsageError(
                f"x_emulator: an indirect parameter is a dict of options, not {param!r}"
            )
        options.update(param)
    return options


@contextlib.contextmanager
def _started(options: dict[str, Any]) -> Iterator[Emulator]:
    # imported when a test first asks for an emulator: registering the plugin stays free
    from compat.emulator import Emulator

    kwargs, faults = emulator_options(options)
    try:
        emu = Emulator(**kwargs)
    except (TypeError, ValueError, CompatError) as exc:
        raise pytest.UsageError(f"x_emulator: {exc}") from exc
    with emu:
        for fault in faults:
            try:
                emu.faults.inject(**fault)
            except (TypeError, ValueError) as exc:
                raise pytest.UsageError(f"x_emulator: fault {fault}: {exc}") from exc
        yield emu


@pytest.fixture
def x_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """An X API v2 emulator on 127.0.0.1 for this test (options: the ``x_emulator`` marker
    or an indirect parameter)."""
    with _started(_options(request, marker=True)) as emu:
        yield emu


@pytest.fixture(scope="session")
def x_emulator_session(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """One X API v2 emulator for the session (options: an indirect parameter); tests share
    its state."""
    with _started(_options(request, marker=False)) as emu:
        yield emu


@pytest.fixture
def compat_shim(x_emulator: Emulator, monkeypatch: pytest.MonkeyPatch) -> Iterator[Emulator]:
    """The shim installed against ``x_emulator`` for this test, removed after it; the
    emulator's keys are in the ``X_*`` environment variables meanwhile."""
    from compat.patch import install

    credentials = x_emulator.credentials
    for name, field in _ENV_KEYS:
        monkeypatch.setenv(name, str(getattr(credentials, field)))
    with install(credentials, api_base=x_emulator.base_url):
        yield x_emulator
