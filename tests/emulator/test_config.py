"""Bad emulator settings are setup mistakes: ConfigurationError naming the option, nothing started.

Both ways in: the :class:`~compat.emulator.Emulator` constructor (``port``, ``host``...) and
the ``compat emulator`` options (``--port``, ``--host``...).
"""

from __future__ import annotations

import argparse
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from compat._plans import DEFAULT_PLAN, get_plan, plans
from compat.emulator import Dataset, Emulator, FakeClock, SystemClock
from compat.emulator.cli import emulator_options, register, run
from compat.errors import ConfigurationError, InvalidParameter

FD_DIR = Path("/proc/self/fd")


def _sockets() -> set[str]:
    """The sockets this process has open (``socket:[inode]``), where /proc tells."""
    if not FD_DIR.is_dir():
        return set()
    found: set[str] = set()
    for fd in os.listdir(FD_DIR):
        try:
            target = os.readlink(FD_DIR / fd)
        except OSError:  # closed between listdir and readlink
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


@pytest.fixture
def nothing_started() -> Iterator[None]:
    """Fails the test if it left a new thread or a new socket behind."""
    threads, sockets = set(threading.enumerate()), _sockets()
    yield
    assert set(threading.enumerate()) - threads == set()
    assert _sockets() - sockets == set()


BAD_ARGUMENTS = [
    # (keyword arguments, option named, what the message says it accepts)
    ({"port": -1}, "port", "between 0 and 65535"),
    ({"port": 65536}, "port", "between 0 and 65535"),
    ({"port": True}, "port", "an int"),
    ({"port": 8048.0}, "port", "an int"),
    ({"port": "8048"}, "port", "an int"),
    ({"port": None}, "port", "an int"),
    ({"host": ""}, "host", "non-empty host name or address"),
    ({"host": "   "}, "host", "non-empty host name or address"),
    ({"host": None}, "host", "non-empty host name or address"),
    ({"host": 2130706433}, "host", "non-empty host name or address"),
    ({"host": "0.0.0.0"}, "host", "loopback address"),
    ({"host": "192.168.1.10"}, "host", "unless allow_remote=True"),
    ({"host": "api.x.com"}, "host", "127.0.0.1"),
    ({"likes": -1}, "likes", ">= 0"),
    ({"likes": True}, "likes", "an int"),
    ({"likes": 1.5}, "likes", "an int"),
    ({"likes": "100"}, "likes", "an int"),
    ({"likes": None}, "likes", "an int"),
    ({"clock": "fake"}, "clock", "a Clock instance"),
    ({"clock": FakeClock}, "clock", "FakeClock()"),
    ({"clock": object()}, "clock", "time\\(\\) -> float"),
    ({"clock": 1_700_000_000}, "clock", "None \\(the wall clock\\)"),
    ({"dataset": ""}, "dataset", "a dataset file's path"),
    ({"dataset": {"format": "compat-emulator-dataset/1"}}, "dataset", "compat.emulator.Dataset"),
    ({"dataset": b"world.json"}, "dataset", "None \\(the shipped dataset\\)"),
    ({"screen_name": "two words"}, "screen_name", "1 to 15 letters"),
    ({"screen_name": "a" * 16}, "screen_name", "a leading @ is allowed"),
    ({"screen_name": 42}, "screen_name", "handle"),
    ({"rate_limits": "no"}, "rate_limits", "True or False"),
    ({"rate_limits": 0}, "rate_limits", "True or False"),
    ({"rate_limits": None}, "rate_limits", "True or False"),
    ({"allow_remote": "yes"}, "allow_remote", "True or False"),
    ({"allow_remote": 1, "host": "0.0.0.0"}, "allow_remote", "True or False"),
    ({"plan": "basic"}, "plan", "pay-per-use"),
    ({"plan": "Enterprise"}, "plan", "compat's plans table"),
    ({"plan": None}, "plan", "enterprise"),
    ({"public_likes": "yes"}, "public_likes", "True or False"),
]


@pytest.mark.usefixtures("nothing_started")
@pytest.mark.parametrize(("kwargs", "option", "accepted"), BAD_ARGUMENTS)
def test_bad_constructor_argument_is_a_configuration_error(
    kwargs: dict[str, object], option: str, accepted: str
) -> None:
    with pytest.raises(ConfigurationError, match=f"^{option} must ") as caught:
        Emulator(**kwargs)  # type: ignore[arg-type]
    assert not isinstance(caught.value, InvalidParameter)  # not a v1.1 code-44 answer
    assert caught.match(accepted)


def test_a_bad_argument_is_named_even_after_good_ones() -> None:
    with pytest.raises(ConfigurationError, match="^port must "):
        Emulator(Dataset.default(), likes=3, clock=FakeClock(), port=-1)


@pytest.mark.usefixtures("nothing_started")
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"host": "localhost"},
        {"host": "127.0.0.2"},
        {"host": "::1"},
        {"host": "0.0.0.0", "allow_remote": True},
        {"port": 0},
        {"port": 65535},
        {"likes": 0},
        {"clock": SystemClock()},
        {"clock": None},
        {"dataset": None},
        {"rate_limits": False},
        *({"plan": name} for name in plans()),
        {"plan": get_plan("pay-per-use")},
        {"public_likes": True},
    ],
)
def test_good_arguments_construct_without_starting(kwargs: dict[str, object]) -> None:
    emu = Emulator(**kwargs)  # type: ignore[arg-type]
    assert repr(emu).startswith("Emulator(stopped")


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="compat")
    register(parser.add_subparsers())
    return parser.parse_args(["emulator", *argv])


def test_cli_options_become_constructor_arguments() -> None:
    options = emulator_options(_parse())
    assert options == {
        "likes": 0,
        "host": "127.0.0.1",
        "port": 0,
        "clock": None,
        "rate_limits": True,
        "allow_remote": True,
        "plan": DEFAULT_PLAN,
        "public_likes": False,
        "screen_name": None,
    }
    assert emulator_options(_parse("--user", "@my_handle"))["screen_name"] == "my_handle"
    clocked = emulator_options(_parse("--fake-clock", "--no-rate-limits", "--likes", "5"))
    assert isinstance(clocked["clock"], FakeClock)
    assert (clocked["rate_limits"], clocked["likes"]) == (False, 5)


def test_cli_host_may_name_another_address_when_asked() -> None:
    # asking on the command line is the opt-in; run() warns that others can reach it
    assert emulator_options(_parse("--host", "0.0.0.0"))["host"] == "0.0.0.0"


BAD_OPTIONS = [
    # (command-line arguments, option named, what the message says it accepts)
    (["--port", "70000"], "--port", "between 0 and 65535"),
    (["--port", "-1"], "--port", "between 0 and 65535"),
    (["--likes", "-3"], "--likes", "must be >= 0"),
    (["--host", ""], "--host", "non-empty host name or address"),
    (["--dataset", ""], "--dataset", "path of a dataset JSON file"),
    (["--plan", "pro"], "--plan", "enterprise, pay-per-use"),
]


@pytest.mark.usefixtures("nothing_started")
@pytest.mark.parametrize(("argv", "option", "accepted"), BAD_OPTIONS)
def test_bad_cli_option_is_a_configuration_error(
    argv: list[str], option: str, accepted: str
) -> None:
    with pytest.raises(ConfigurationError, match=f"^{option} must ") as caught:
        emulator_options(_parse(*argv))
    assert caught.match(accepted)


@pytest.mark.usefixtures("nothing_started")
@pytest.mark.parametrize(
    ("field", "value", "option"),
    [
        ("port", True, "--port"),
        ("likes", "12", "--likes"),
        ("host", None, "--host"),
        ("fake_clock", "yes", "--fake-clock"),
        ("no_rate_limits", 1, "--no-rate-limits"),
        ("dataset", 42, "--dataset"),
        ("plan", 3, "--plan"),
        ("public_likes", "no", "--public-likes"),
    ],
)
def test_bad_values_in_a_built_namespace_are_named_too(
    field: str, value: object, option: str
) -> None:
    args = _parse()
    setattr(args, field, value)
    with pytest.raises(ConfigurationError, match=f"^{option} must "):
        emulator_options(args)


@pytest.mark.usefixtures("nothing_started")
@pytest.mark.parametrize(("argv", "option", "accepted"), BAD_OPTIONS)
def test_run_exits_2_naming_the_option(
    argv: list[str], option: str, accepted: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(_parse(*argv)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"compat emulator: {option} must ")
    assert accepted in err


@pytest.mark.parametrize("text", ["eighty", "1.5", ""])
def test_cli_numbers_must_be_whole(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _parse("--port", text)
    assert exited.value.code == 2
    assert "not a whole number" in capsys.readouterr().err
