"""The ``compat`` command: one argparse parser, subcommands registered from their modules.

Each entry of :data:`COMMANDS` names a subcommand, the module that defines
``register(subparsers)`` for it (the module adds its parser and sets ``func``,
``(argparse.Namespace) -> int``, as its default) and its one-line help. :func:`main` imports
only the module of the subcommand on the command line: ``compat run -- python bot.py`` does
not pay for the demo, the doctor or the audit; ``compat --help`` lists every subcommand from
the table without importing any.

Conventions every subcommand gets here (docs/logging.md):

* ``-v``/``-q``, repeatable, before or after the subcommand: the level of the ``compat``
  logger's handler on stderr, installed for the command's run only: WARNING by default, ``-v``
  INFO, ``-vv`` DEBUG with a timestamp, the logger name and the event name of each record;
  ``-q`` errors only, ``-qq`` nothing;
* no colour, ever (so ``NO_COLOR`` and a stderr that is not a terminal need nothing);
* a bad argument is a message and exit status 2, never a traceback; an unexpected error is one
  line and exit status 1 (the traceback with ``-vv``);
* ``--version`` on every subcommand.

Usage::

    >>> from compat.cli import main
    >>> main(["demo", "--plan", "gold"])
    2
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import logging
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TextIO

from compat._version import __version__
from compat.errors import CompatError, ConfigurationError

__all__ = [
    "COMMANDS",
    "SUBCOMMANDS",
    "CompatFormatter",
    "build_parser",
    "logging_to",
    "main",
    "verbosity_level",
]

#: subcommand -> (the module that registers it, its one-line help for ``compat --help``).
COMMANDS: Mapping[str, tuple[str, str]] = {
    "demo": ("compat.demo", "run legacy favorites calls on the embedded v2 emulator"),
    "emulator": (
        "compat.emulator.cli",
        "serve an offline X API v2 Likes emulator (real payload shapes, test credentials)",
    ),
    "audit": ("compat.audit.cli", "find legacy v1.1 favorites code and what v2 changes for it"),
    "run": ("compat.runner", "run a legacy program with the v1.1 shim installed"),
    "doctor": (
        "compat.doctor",
        "say what your keys can do and what each legacy favorites call will cost",
    ),
    "gateway": (
        "compat.gateway_cli",
        "the hosted gateway backend: link an X account to its API key",
    ),
}
#: The modules of :data:`COMMANDS`, in order.
SUBCOMMANDS: tuple[str, ...] = tuple(module for module, _help in COMMANDS.values())

_EPILOG = (
    "-v/-q work on every command, before or after its name: -v info, -vv debug with event "
    "names, -q errors only, -qq nothing. compat prints no colour (NO_COLOR needs nothing). "
    "Exit status 2: a bad argument, said in one line. Logger names and events: docs/logging.md."
)
#: The options whose value is not a separate word: the first other word is the subcommand.
_TOP_FLAGS = frozenset({"-h", "--help", "--version", "--verbose", "--quiet"})

log = logging.getLogger("compat")


def verbosity_level(verbosity: int) -> int | None:
    """The handler level for ``-v`` (+1 each) and ``-q`` (-1 each); None: print nothing.

    >>> [verbosity_level(n) for n in (-2, -1, 0, 1, 2)]
    [None, 40, 30, 20, 10]
    """
    if verbosity <= -2:
        return None
    return {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)


class CompatFormatter(logging.Formatter):
    """compat's records for people: ``compat: warning: MESSAGE`` up to ``-v``; with ``-vv``
    ``HH:MM:SS.mmm LEVEL LOGGER [EVENT] MESSAGE`` (the event from ``extra``, when the message
    does not already start with it) and tracebacks. Never colour.

    >>> record = logging.LogRecord("compat.client", logging.WARNING, __file__, 1,
    ...                            "X says: slow down", None, None)
    >>> record.event = "http.rate_limited"
    >>> CompatFormatter(0).format(record)
    'compat: warning: X says: slow down'
    >>> CompatFormatter(2).format(record).split(" ", 1)[1]
    'WARNING compat.client [http.rate_limited] X says: slow down'
    """

    def __init__(self, verbosity: int, prog: str = "compat") -> None:
        super().__init__()
        self.verbosity = verbosity
        self.prog = prog

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if self.verbosity < 2:
            return f"{self.prog}: {record.levelname.lower()}: {message}"
        event = getattr(record, "event", None)
        stamp = f"{self.formatTime(record, '%H:%M:%S')}.{int(record.msecs):03d}"
        head = f"{stamp} {record.levelname} {record.name}"
        if isinstance(event, str) and event and not message.startswith(event):
            head += f" [{event}]"
        text = f"{head} {message}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


@contextlib.contextmanager
def logging_to(stream: TextIO, verbosity: int, prog: str = "compat") -> Iterator[None]:
    """The ``compat`` logger's handler on ``stream`` at the level of ``verbosity``, for the
    ``with`` block only (``main()`` called in-process leaves the logger as it found it).

    >>> import io
    >>> err = io.StringIO()
    >>> with logging_to(err, 0):
    ...     logging.getLogger("compat.example").warning("shown")
    ...     logging.getLogger("compat.example").info("not shown")
    >>> err.getvalue()
    'compat: warning: shown\\n'
    """
    level = verbosity_level(verbosity)
    handler: logging.Handler
    if level is None:  # -qq: a handler that prints nothing keeps logging's last resort away
        handler = logging.NullHandler()
    else:
        handler = logging.StreamHandler(stream)
        handler.setLevel(level)
        handler.setFormatter(CompatFormatter(verbosity, prog))
    previous = log.level
    if level is not None and log.getEffectiveLevel() > level:
        log.setLevel(level)
    log.addHandler(handler)
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(previous)


def _add_conventions(parser: argparse.ArgumentParser, depth: int = 0) -> None:
    """``--version``, ``-v`` and ``-q`` on ``parser`` and on every subcommand below it, so each
    one's ``--help`` shows them (a subcommand that defines its own ``--version`` keeps it).
    Each depth counts into its own attribute: a subcommand's namespace overwrites its
    parent's attributes of the same name."""
    if "--version" not in parser._option_string_actions:
        parser.add_argument("--version", action="version", version=f"compat {__version__}")
    if "-v" not in parser._option_string_actions:
        group = parser.add_argument_group("output")
        group.add_argument(
            "-v",
            "--verbose",
            action="count",
            default=0,
            dest=f"_verbose_{depth}",
            help="more log output on stderr: -v info, -vv debug with event names",
        )
        group.add_argument(
            "-q",
            "--quiet",
            action="count",
            default=0,
            dest=f"_quiet_{depth}",
            help="less: -q errors only, -qq nothing (compat prints no colour)",
        )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases: one parser
                _add_conventions(child, depth + 1)


def _command_of(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line (the first word that is not a top-level
    option), or None."""
    for word in argv:
        if word == "--":
            return None
        if word.startswith("-"):
            if word in _TOP_FLAGS or set(word[1:]) <= {"v", "q", "h"}:
                continue
            return None  # an unknown option: argparse says so
        return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``compat`` parser. With ``argv``, only the subcommand it names is imported and
    registered in full (the others are listed by name and help); without, every one is."""
    wanted = None if argv is None else _command_of(argv)
    parser = argparse.ArgumentParser(
        prog="compat",
        description="Keep legacy Twitter API v1.1 favorites code alive on X API v2 Likes.",
        epilog=_EPILOG,
    )
    # not "command": `compat run`'s own positional has that name
    subparsers = parser.add_subparsers(dest="compat_command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if argv is None or name == wanted:
            importlib.import_module(module_name).register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    _add_conventions(parser)
    return parser


def _verbosity(args: argparse.Namespace) -> int:
    counts: dict[str, Any] = vars(args)
    verbose = sum(v for k, v in counts.items() if k.startswith("_verbose_"))
    quiet = sum(v for k, v in counts.items() if k.startswith("_quiet_"))
    return int(verbose - quiet)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``compat`` command line; returns the exit status."""
    words = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(words)
    args = parser.parse_args(words)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    prog = f"compat {args.compat_command}"
    verbosity = _verbosity(args)
    with logging_to(sys.stderr, verbosity, prog):
        try:
            return int(func(args))
        except KeyboardInterrupt:
            return 130
        except ConfigurationError as exc:  # a bad setting the command did not catch itself
            print(f"{prog}: {exc}", file=sys.stderr)
            return 2
        except (CompatError, OSError) as exc:
            print(f"{prog}: error: {exc}", file=sys.stderr)
            log.debug(
                "cli.error %s", type(exc).__name__, exc_info=True, extra={"event": "cli.error"}
            )
            return 1
        except Exception as exc:  # a bug: one line for people, the traceback with -vv
            log.debug(
                "cli.crashed %s", type(exc).__name__, exc_info=True, extra={"event": "cli.crashed"}
            )
            print(
                f"{prog}: internal error: {type(exc).__name__}: {exc} (run it again with -vv "
                "for the traceback, and report it)",
                file=sys.stderr,
            )
            return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
