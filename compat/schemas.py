"""JSON-schema validation of every v2 payload in and every v1.1 object out, at native speed.

The schemas are standard Draft 2020-12 files under :data:`SCHEMA_DIR` (``schemas/`` in a
source checkout, ``compat/_schemas`` in an installed wheel), named by their path without
``.json``: ``"v2/liked_tweets_page"``, ``"v1.1/tweet"``. Each declares the ``$id``
``https://compat.invalid/schemas/<name>.json`` and refers to its neighbours with relative
``$ref``s (``{"$ref": "user.json"}``); every file is registered up front, so references never
leave the process (no network).

Two backends:

* ``jsonschema-rs`` (Rust, the hot path): used whenever it can be imported;
* ``jsonschema`` (pure Python, the reference): used when ``jsonschema_rs`` is missing (logged
  once at INFO as ``schemas.slow_mode``), and always used to *explain* a failure: when the fast
  validator says "invalid", the :class:`~compat.errors.SchemaError` (JSON path, failing rule,
  schema location) comes from ``jsonschema``'s ``best_match``, so messages are identical with
  either backend.

Validators are built lazily, once per (schema, backend) and process, under a lock.

Modes (process-wide): ``"strict"`` (default: raise), ``"warn"`` (log ``schema.violation`` at
WARNING and carry on), ``"off"`` (skip validation).

Usage::

    >>> from compat import schemas
    >>> schemas.validate("v2/like_result", {"data": {"liked": True}})
    >>> try:
    ...     schemas.validate("v2/like_result", {"data": {"liked": "yes"}})
    ... except schemas.SchemaError as exc:
    ...     print(exc.path, exc.rule)
    $.data.liked type
    >>> previous = schemas.set_mode("off")
    >>> schemas.validate("v2/like_result", {"data": {"liked": "yes"}})  # skipped
    >>> schemas.set_mode(previous)
    'off'
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import math
import pathlib
import threading
from collections.abc import Iterator
from types import ModuleType
from typing import TYPE_CHECKING, Any, Final, Literal

import jsonschema
import jsonschema.exceptions
import referencing
import referencing.jsonschema

from compat.errors import SchemaError

if TYPE_CHECKING:
    import requests

_rs: ModuleType | None
try:
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - exercised by the fallback test, in a subprocess
    _rs = None

__all__ = [
    "BACKENDS",
    "MODES",
    "SCHEMA_DIR",
    "SCHEMA_ID_BASE",
    "Backend",
    "SchemaError",
    "Validator",
    "backend_name",
    "get_mode",
    "get_validator",
    "loaded_from",
    "schema_names",
    "set_mode",
    "using",
    "validate",
]

log = logging.getLogger("compat.schemas")

Backend = Literal["jsonschema-rs", "jsonschema"]
MODES: Final = ("strict", "warn", "off")
BACKENDS: Final[tuple[Backend, ...]] = ("jsonschema-rs", "jsonschema")
#: Every schema's ``$id`` is this prefix + its name + ``.json``.
SCHEMA_ID_BASE: Final = "https://compat.invalid/schemas/"


def _schema_dir() -> pathlib.Path:
    here = pathlib.Path(__file__).resolve().parent
    for candidate in (here / "_schemas", here.parent / "schemas"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("compat's JSON schemas are missing from this installation")


SCHEMA_DIR: pathlib.Path = _schema_dir()

_mode = "strict"
# A mode for one call (a Settings value's validation=), without touching the process's mode.
_scoped_mode: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "compat_validation_mode", default=None
)
_lock = threading.RLock()
_validators: dict[tuple[str, Backend], Validator] = {}
# name → the default backend's compiled is_valid, so that a valid instance (nearly every one)
# costs one dict lookup and one call; emptied whenever _validators is.
_checks: dict[str, Any] = {}
_documents: dict[str, Any] | None = None  # name -> parsed schema, every file under SCHEMA_DIR
_rs_registry: Any = None
_py_registry: referencing.Registry[Any] | None = None
_slow_mode_logged = False


def backend_name() -> Backend:
    """The backend :func:`validate` uses in this process.

    >>> backend_name() in BACKENDS
    True
    """
    return "jsonschema-rs" if _rs is not None else "jsonschema"


def get_mode() -> str:
    """The current validation mode: ``"strict"``, ``"warn"`` or ``"off"``.

    >>> get_mode() in MODES
    True
    """
    return _mode


def set_mode(mode: str) -> str:
    """Switch the process-wide validation mode and return the previous one.

    >>> previous = set_mode("warn")
    >>> set_mode(previous)
    'warn'
    """
    global _mode
    if mode not in MODES:
        raise ValueError(f"validation mode must be one of {MODES}, got {mode!r}")
    with _lock:
        previous, _mode = _mode, mode
    return previous


@contextlib.contextmanager
def loaded_from(directory: pathlib.Path) -> Iterator[pathlib.Path]:
    """Load the schemas from ``directory`` inside this block, with every cache empty, and
    restore the shipped set (and its caches) on exit: for testing schema changes.

    >>> with loaded_from(SCHEMA_DIR) as where:
    ...     where == SCHEMA_DIR and "v2/tweet" in schema_names()
    True
    """
    global SCHEMA_DIR, _documents, _rs_registry, _py_registry, _validators, _checks
    with _lock:
        saved = (SCHEMA_DIR, _documents, _rs_registry, _py_registry, _validators, _checks)
        SCHEMA_DIR, _documents, _rs_registry, _py_registry, _validators, _checks = (
            pathlib.Path(directory),
            None,
            None,
            None,
            {},
            {},
        )
    try:
        yield SCHEMA_DIR
    finally:
        with _lock:
            SCHEMA_DIR, _documents, _rs_registry, _py_registry, _validators, _checks = saved


@contextlib.contextmanager
def using(mode: str | None) -> Iterator[None]:
    """Validate in ``mode`` inside this block (this thread or async task only); ``None``
    keeps the process-wide mode.

    >>> with using("off"):
    ...     validate("v2/users_me", {"data": 42})
    """
    if mode is not None and mode not in MODES:
        raise ValueError(f"validation mode must be one of {MODES}, got {mode!r}")
    token = _scoped_mode.set(mode)
    try:
        yield
    finally:
        _scoped_mode.reset(token)


def schema_names() -> list[str]:
    """Every schema file's name, as on disk now, sorted (``"v1.1/tweet"``, ``"v2/tweet"``, …).

    >>> "v2/like_result" in schema_names()
    True
    """
    return sorted(
        path.relative_to(SCHEMA_DIR).with_suffix("").as_posix()
        for path in SCHEMA_DIR.rglob("*.json")
    )


def _scan() -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        name = path.relative_to(SCHEMA_DIR).with_suffix("").as_posix()
        documents[name] = json.loads(path.read_text(encoding="utf-8"))
    return documents


def _load_documents() -> dict[str, Any]:
    """All schema files, parsed once; rescanned if a name is asked for that is not known yet."""
    global _documents
    with _lock:
        if _documents is None:
            _documents = _scan()
        return _documents


def _uri(name: str) -> str:
    return f"{SCHEMA_ID_BASE}{name}.json"


def _document(name: str) -> Any:
    """The parsed schema ``name``; a clear ``KeyError`` naming the known ones otherwise."""
    global _documents, _rs_registry, _py_registry
    documents = _load_documents()
    if name not in documents:
        with _lock:  # a file may have been added since the first scan (e.g. by a test)
            fresh = _scan()
            if name in fresh:
                _documents, _rs_registry, _py_registry = fresh, None, None
                _validators.clear()
                _checks.clear()
                return fresh[name]
        raise KeyError(
            f"unknown schema {name!r}: no {name}.json under {SCHEMA_DIR}; "
            f"known schemas: {', '.join(sorted(documents))}"
        )
    return documents[name]


def _resources() -> list[tuple[str, Any]]:
    return [(_uri(name), doc) for name, doc in _load_documents().items()]


def _refuse_retrieval(uri: str) -> Any:
    raise LookupError(f"schema reference {uri!r} is not one of compat's schema files")


def _py_reg() -> referencing.Registry[Any]:
    global _py_registry
    with _lock:
        if _py_registry is None:
            spec = referencing.jsonschema.DRAFT202012
            _py_registry = referencing.Registry[Any]().with_resources(
                (uri, spec.create_resource(doc)) for uri, doc in _resources()
            )
        return _py_registry


def _rs_reg() -> Any:
    global _rs_registry
    assert _rs is not None
    with _lock:
        if _rs_registry is None:
            _rs_registry = _rs.Registry(
                _resources(), draft=_rs.Draft202012, retriever=_refuse_retrieval
            )
        return _rs_registry


def _is_json_number(checker: Any, instance: Any) -> bool:
    """JSON numbers only: NaN and ±Infinity (which Python's json module lets through) are not.

    jsonschema-rs rejects them for "number"; the reference does the same, so verdicts agree.
    """
    if isinstance(instance, float) and not math.isfinite(instance):
        return False
    return bool(jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(instance, "number"))


_ReferenceValidator: Any = jsonschema.validators.extend(  # type: ignore[no-untyped-call]
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("number", _is_json_number),
)


def _json_path(parts: Iterator[Any] | list[Any]) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


class Validator:
    """One schema compiled for one backend; build it with :func:`get_validator` to share it.

    ``backend`` is ``"jsonschema-rs"`` or ``"jsonschema"`` (default: :func:`backend_name`).
    The mode switch does not apply here: :meth:`validate` always raises on a violation.

    Usage::

        >>> v = Validator("v2/like_result", backend="jsonschema")
        >>> v.is_valid({"data": {"liked": False}}), v.is_valid({"data": {}})
        (True, False)
        >>> v.error({"data": {}}).path
        '$.data'
    """

    def __init__(self, name: str, backend: Backend | None = None) -> None:
        chosen = backend if backend is not None else backend_name()
        if chosen not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {chosen!r}")
        if chosen == "jsonschema-rs" and _rs is None:
            raise ValueError("backend 'jsonschema-rs' requested but jsonschema_rs is not installed")
        self.name = name
        self.backend: Backend = chosen
        schema = _document(name)
        # "format" is an annotation in both backends (no format assertion): the schemas check
        # dates with explicit patterns instead, which both read the same way.
        self._py: Any = _ReferenceValidator(schema, registry=_py_reg())
        self._fast: Any = None
        if chosen == "jsonschema-rs":
            assert _rs is not None
            # every file declares its "$id", so no base_uri is needed (jsonschema-rs 0.29 has none)
            self._fast = _rs.validator_for(schema, registry=_rs_reg(), validate_formats=False)

    def __repr__(self) -> str:
        return f"Validator({self.name!r}, backend={self.backend!r})"

    def is_valid(self, instance: Any) -> bool:
        """Whether ``instance`` satisfies the schema (with this validator's backend)."""
        if self._fast is not None:
            try:
                return bool(self._fast.is_valid(instance))
            except (ValueError, TypeError):  # not JSON-shaped (e.g. a tuple): ask the reference
                pass
        return bool(self._py.is_valid(instance))

    def error(
        self,
        instance: Any,
        *,
        request: requests.PreparedRequest | None = None,
        response: requests.Response | None = None,
    ) -> SchemaError | None:
        """The :class:`SchemaError` for ``instance`` (built from jsonschema), or None if valid."""
        if self.is_valid(instance):
            return None
        best = jsonschema.exceptions.best_match(self._py.iter_errors(instance))
        if best is not None:
            return SchemaError(
                self.name,
                best.json_path,
                str(best.validator),
                best.message,
                schema_path="/".join(str(p) for p in best.schema_path),
                request=request,
                response=response,
            )
        return self._fast_error(instance, request=request, response=response)

    def _fast_error(
        self,
        instance: Any,
        *,
        request: requests.PreparedRequest | None,
        response: requests.Response | None,
    ) -> SchemaError:
        """Only when the two backends disagree (jsonschema found nothing): rs's own report."""
        log.warning(
            "compat's two JSON Schema checkers disagree on an answer for %s (only "
            "jsonschema-rs rejects it); the answer is treated as invalid. Please report it",
            self.name,
            extra={"event": "schema.backends_disagree", "schema": self.name},
        )
        path, rule, detail, where = "$", "unknown", "rejected by jsonschema-rs", ""
        try:
            first = next(iter(self._fast.iter_errors(instance)), None)
        except (ValueError, TypeError):
            first = None
        if first is not None:
            path = _json_path(list(first.instance_path))
            where = "/".join(str(p) for p in first.schema_path)
            rule = str(first.schema_path[-1]) if len(first.schema_path) else rule
            detail = str(first.message)
        return SchemaError(
            self.name, path, rule, detail, schema_path=where, request=request, response=response
        )

    def validate(
        self,
        instance: Any,
        *,
        request: requests.PreparedRequest | None = None,
        response: requests.Response | None = None,
    ) -> None:
        """Raise :class:`SchemaError` if ``instance`` breaks the schema."""
        exc = self.error(instance, request=request, response=response)
        if exc is not None:
            raise exc


def get_validator(name: str, backend: Backend | None = None) -> Validator:
    """The shared :class:`Validator` for ``name`` (built on first use, once per process).

    >>> get_validator("v2/users_me") is get_validator("v2/users_me")
    True
    """
    chosen = backend if backend is not None else backend_name()
    key = (name, chosen)
    validator = _validators.get(key)
    if validator is None:
        with _lock:
            validator = _validators.get(key)
            if validator is None:
                _log_slow_mode_once(chosen)
                validator = Validator(name, chosen)
                _validators[key] = validator
    return validator


def _log_slow_mode_once(chosen: Backend) -> None:
    global _slow_mode_logged
    if _rs is None and chosen == "jsonschema" and not _slow_mode_logged:
        _slow_mode_logged = True
        log.info(
            "schemas.slow_mode jsonschema_rs is not installed: validation runs in the slow "
            "pure-Python mode (jsonschema)"
        )


def validate(
    name: str,
    instance: Any,
    *,
    request: requests.PreparedRequest | None = None,
    response: requests.Response | None = None,
) -> None:
    """Check ``instance`` against schema ``name`` according to the current mode.

    ``strict`` raises :class:`SchemaError`, ``warn`` logs ``schema.violation`` and returns,
    ``off`` returns at once. An unknown ``name`` raises ``KeyError`` (listing the known ones)
    in every mode but ``off``. ``request``/``response`` are attached to the error.

    >>> validate("v2/users_me", {"data": {"id": "783214", "name": "X", "username": "X"}})
    """
    mode = _scoped_mode.get() or _mode
    if mode == "off":
        return
    check = _checks.get(name)
    if check is None:
        validator = get_validator(name)
        check = validator._fast.is_valid if validator._fast is not None else validator._py.is_valid
        with _lock:
            if validator is _validators.get((name, validator.backend)):
                _checks[name] = check
    try:
        if check(instance):
            return
    except (ValueError, TypeError):  # not JSON-shaped (e.g. a tuple): the reference decides
        pass
    exc = get_validator(name).error(instance, request=request, response=response)
    if exc is None:
        return
    if mode == "warn":
        log.warning(
            "an answer from X is not in the documented shape (%s); compat goes on because "
            "validation is 'warn'. Use validation='strict' to raise, 'off' to not check",
            exc,
            extra={"event": "schema.violation", "schema": name, "path": exc.path},
        )
        return
    raise exc
