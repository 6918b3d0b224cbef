"""The validation engine: schema files, modes, caching, errors, unknown names, new files."""

from __future__ import annotations

import json
import logging
import pathlib
import re
import threading
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
import requests

from compat import schemas
from compat.errors import MalformedResponse, SchemaError
from tests._support.schemas import REALDATA, load

REQUIRED_V2 = [
    "v2/includes",
    "v2/like_result",
    "v2/liked_tweets_page",
    "v2/media",
    "v2/place",
    "v2/poll",
    "v2/problem",
    "v2/tweet",
    "v2/tweets_lookup",
    "v2/user",
    "v2/user_lookup",
    "v2/users_me",
]
BAD_LIKE = {"data": {"liked": "yes"}}


def _walk(node: Any, path: str = "#") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found.append((path, node))
        for key, value in node.items():
            found += _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _walk(value, f"{path}/{i}")
    return found


def _all_schema_files() -> list[tuple[str, Any]]:
    return [(name, load(schemas.SCHEMA_DIR / f"{name}.json")) for name in schemas.schema_names()]


def test_schema_dir_is_the_source_checkout_and_holds_the_v2_schemas() -> None:
    assert pathlib.Path(schemas.__file__).resolve().parent.parent / "schemas" == schemas.SCHEMA_DIR
    assert set(REQUIRED_V2) <= set(schemas.schema_names())
    assert schemas.schema_names() == sorted(schemas.schema_names())


@pytest.mark.parametrize(("name", "doc"), _all_schema_files(), ids=lambda x: str(x)[:30])
def test_schema_file_is_a_standard_2020_12_schema_with_its_id(name: str, doc: Any) -> None:
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert doc["$id"] == f"{schemas.SCHEMA_ID_BASE}{name}.json"
    jsonschema.Draft202012Validator.check_schema(doc)
    assert jsonschema_rs.meta.is_valid(doc)


# Regex features that Python's re and Rust's regex read differently (issue 5 part 3).
_SPLITTING = [
    (re.compile(r"\$\)*$"), "ends in $ (Python also matches before a trailing newline)"),
    (re.compile(r"\\[dDwWbB]"), "\\d/\\w/\\b (Unicode classes differ between the engines)"),
    (re.compile(r"\\[sS]"), "\\s outside [\\s\\S] (whitespace sets differ)"),
    (re.compile(r"\(\?[a-zA-Z]"), "inline flags"),
]


def _check_pattern(where: str, pattern: str) -> None:
    stripped = pattern.replace(r"[\s\S]", "")  # "any character": the same set in both engines
    for bad, why in _SPLITTING:
        assert not bad.search(stripped), f"{where}: {pattern!r} {why}"


@pytest.mark.parametrize(("name", "doc"), _all_schema_files(), ids=lambda x: str(x)[:30])
def test_patterns_avoid_constructs_the_two_engines_read_differently(name: str, doc: Any) -> None:
    for where, node in _walk(doc):
        for key in ("pattern",):
            pattern = node.get(key)
            if not isinstance(pattern, str):
                continue
            _check_pattern(f"{name}{where}", pattern)
        for pattern in node.get("patternProperties", {}):
            _check_pattern(f"{name}{where}", pattern)


@pytest.mark.parametrize("name", [n for n in REQUIRED_V2], ids=str)
def test_v2_formats_are_backed_by_patterns_and_no_number_type(name: str) -> None:
    doc = load(schemas.SCHEMA_DIR / f"{name}.json")
    for other in ("v2/defs",):
        doc = {"self": doc, "defs": load(schemas.SCHEMA_DIR / f"{other}.json")}
    for where, node in _walk(doc):
        if "format" in node:
            assert "pattern" in node, f"{name}{where}: 'format' is an annotation only"
        types = node.get("type")
        assert types != "number" and not (isinstance(types, list) and "number" in types), where


@pytest.mark.parametrize("name", sorted(set(REQUIRED_V2) | {"v2/defs"}), ids=str)
def test_every_ref_resolves_inside_our_files(name: str) -> None:
    registry = schemas._py_reg()
    doc = load(schemas.SCHEMA_DIR / f"{name}.json")
    resolver = registry.resolver(base_uri=doc["$id"])
    refs = [node["$ref"] for _, node in _walk(doc) if isinstance(node.get("$ref"), str)]
    for ref in refs:
        assert resolver.lookup(ref).contents is not None, ref
    for backend in schemas.BACKENDS:
        schemas.Validator(name, backend=backend)  # builds, refs included


def test_backend_is_jsonschema_rs_when_installed() -> None:
    assert schemas.backend_name() == "jsonschema-rs"
    assert schemas.get_validator("v2/like_result").backend == "jsonschema-rs"


def test_strict_mode_raises_schema_error_with_path_rule_and_location() -> None:
    with pytest.raises(SchemaError) as info:
        schemas.validate("v2/like_result", BAD_LIKE)
    err = info.value
    assert isinstance(err, MalformedResponse)
    assert (err.schema, err.path, err.rule) == ("v2/like_result", "$.data.liked", "type")
    assert err.schema_path == "properties/data/properties/liked/type"
    assert err.detail == "'yes' is not of type 'boolean'"
    assert str(err) == (
        "v2/like_result: $.data.liked violates 'type': 'yes' is not of type 'boolean'"
    )


def test_schema_error_carries_request_and_response() -> None:
    request = requests.Request("POST", "https://api.x.com/2/users/1/likes").prepare()
    response = requests.Response()
    response.status_code = 200
    with pytest.raises(SchemaError) as info:
        schemas.validate("v2/like_result", BAD_LIKE, request=request, response=response)
    assert info.value.request is request
    assert info.value.response is response


def test_warn_mode_logs_and_returns(caplog: pytest.LogCaptureFixture) -> None:
    assert schemas.set_mode("warn") == "strict"
    with caplog.at_level(logging.WARNING, logger="compat.schemas"):
        schemas.validate("v2/like_result", BAD_LIKE)
    [record] = [r for r in caplog.records if r.name == "compat.schemas"]
    assert record.levelno == logging.WARNING
    assert record.__dict__["event"] == "schema.violation"
    assert "v2/like_result: $.data.liked" in record.getMessage()
    assert record.__dict__["schema"] == "v2/like_result"
    assert record.__dict__["path"] == "$.data.liked"


def test_warn_mode_is_silent_on_valid_documents(caplog: pytest.LogCaptureFixture) -> None:
    schemas.set_mode("warn")
    with caplog.at_level(logging.DEBUG, logger="compat.schemas"):
        schemas.validate("v2/like_result", {"data": {"liked": True}})
    assert not [r for r in caplog.records if r.name == "compat.schemas"]


def test_off_mode_skips_validation() -> None:
    schemas.set_mode("off")
    schemas.validate("v2/like_result", BAD_LIKE)
    schemas.validate("v2/like_result", object())
    assert schemas.get_mode() == "off"


def test_set_mode_rejects_unknown_modes_and_returns_previous() -> None:
    with pytest.raises(ValueError, match="strict"):
        schemas.set_mode("loud")
    assert schemas.get_mode() == "strict"
    assert schemas.set_mode("off") == "strict"
    assert schemas.set_mode("strict") == "off"
    assert schemas.MODES == ("strict", "warn", "off")


@pytest.mark.parametrize("mode", ["strict", "warn"])
def test_unknown_schema_name_is_a_clear_error(mode: str) -> None:
    schemas.set_mode(mode)
    with pytest.raises(KeyError) as info:
        schemas.validate("v2/liked_tweet_page", {})
    text = str(info.value)
    assert "'v2/liked_tweet_page'" in text
    assert "v2/liked_tweets_page" in text  # the known names are listed


def test_unknown_backend_is_rejected() -> None:
    with pytest.raises(ValueError, match="backend"):
        schemas.Validator("v2/tweet", backend="fastjsonschema")  # type: ignore[arg-type]


def test_validators_are_shared_and_built_once(
    monkeypatch: pytest.MonkeyPatch, schema_dir: pathlib.Path
) -> None:
    built: list[tuple[str, str]] = []
    real = schemas.Validator

    class Counting(real):  # type: ignore[valid-type,misc]
        def __init__(self, name: str, backend: schemas.Backend | None = None) -> None:
            built.append((name, str(backend)))
            super().__init__(name, backend)

    monkeypatch.setattr(schemas, "Validator", Counting)
    doc = load(REALDATA / "tweepy_v2_liked_tweets.json")
    barrier = threading.Barrier(8)
    seen: list[schemas.Validator] = []

    def work() -> None:
        barrier.wait()
        seen.append(schemas.get_validator("v2/liked_tweets_page"))
        schemas.validate("v2/liked_tweets_page", doc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for _ in range(5):
        schemas.validate("v2/liked_tweets_page", doc)
    assert built == [("v2/liked_tweets_page", "jsonschema-rs")]
    assert len({id(v) for v in seen}) == 1


def test_schema_error_is_identical_for_both_backends() -> None:
    doc = load(REALDATA / "sns_sdks_v2_liked_tweets_author_expansion.json")
    doc["data"][2]["id"] = "1386535600904232965\n"
    doc["includes"]["users"][1]["public_metrics"] = {"followers_count": "many"}
    errors = [schemas.Validator("v2/liked_tweets_page", b).error(doc) for b in schemas.BACKENDS]
    fast, slow = errors
    assert fast is not None and slow is not None
    for attr in ("schema", "path", "rule", "detail", "schema_path", "message"):
        assert getattr(fast, attr) == getattr(slow, attr), attr
    assert str(fast) == str(slow)
    assert fast.path in ("$.data[2].id", "$.includes.users[1].public_metrics.followers_count")


def test_disagreement_falls_back_to_the_fast_backends_report(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    validator = schemas.Validator("v2/like_result", backend="jsonschema-rs")

    class Silent:
        def iter_errors(self, instance: Any) -> Any:
            return iter(())

        def is_valid(self, instance: Any) -> bool:
            return True

    monkeypatch.setattr(validator, "_py", Silent())
    with caplog.at_level(logging.WARNING, logger="compat.schemas"):
        err = validator.error(BAD_LIKE)
    assert err is not None
    assert (err.path, err.rule) == ("$.data.liked", "type")
    assert "boolean" in err.detail
    assert any(getattr(r, "event", None) == "schema.backends_disagree" for r in caplog.records)


def test_non_json_instances_get_the_reference_verdict() -> None:
    fast = schemas.Validator("v2/like_result", backend="jsonschema-rs")
    slow = schemas.Validator("v2/like_result", backend="jsonschema")
    for odd in [{"data": {"liked": (True,)}}, {"data": {"liked": {1, 2}}}, {1: 2}]:
        assert fast.is_valid(odd) == slow.is_valid(odd)


def test_validate_raises_from_validator_object() -> None:
    validator = schemas.get_validator("v2/users_me")
    validator.validate(load(REALDATA / "tweepy_v2_users_me.json"))
    with pytest.raises(SchemaError, match=r"\$\.data violates 'required'"):
        validator.validate({"data": {"id": "1", "name": "x"}})
    assert repr(validator) == "Validator('v2/users_me', backend='jsonschema-rs')"


def test_schema_files_added_later_are_picked_up(schema_dir: pathlib.Path) -> None:
    schemas.validate("v2/like_result", {"data": {"liked": True}})  # loads the current files
    extra = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{schemas.SCHEMA_ID_BASE}v1.1/extra.json",
        "type": "object",
        "properties": {"author": {"$ref": "../v2/user.json"}},
    }
    (schema_dir / "v1.1").mkdir(exist_ok=True)
    (schema_dir / "v1.1" / "extra.json").write_text(json.dumps(extra), encoding="utf-8")
    schemas.validate("v1.1/extra", {"author": {"id": "1", "name": "a", "username": "a"}})
    with pytest.raises(SchemaError) as info:
        schemas.validate("v1.1/extra", {"author": {"id": 1, "name": "a", "username": "a"}})
    assert info.value.path == "$.author.id"
    assert "v1.1/extra" in schemas.schema_names()
    schemas.validate("v2/like_result", {"data": {"liked": False}})


@pytest.mark.parametrize("backend", schemas.BACKENDS)
def test_format_is_an_annotation_in_both_backends(
    schema_dir: pathlib.Path, backend: schemas.Backend
) -> None:
    only_format = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{schemas.SCHEMA_ID_BASE}v2/only_format.json",
        "type": "string",
        "format": "date-time",
    }
    (schema_dir / "v2" / "only_format.json").write_text(json.dumps(only_format), "utf-8")
    validator = schemas.Validator("v2/only_format", backend=backend)
    assert validator.is_valid("not a date")
    assert validator.is_valid("2023-02-16T12:20:16.000Z")


def test_missing_schema_directory_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schemas, "__file__", "/nonexistent/compat/schemas.py")
    with pytest.raises(RuntimeError, match="schemas are missing"):
        schemas._schema_dir()


def test_installed_wheel_schemas_win_over_a_checkout(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "compat" / "_schemas").mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    monkeypatch.setattr(schemas, "__file__", str(tmp_path / "compat" / "schemas.py"))
    assert schemas._schema_dir() == tmp_path / "compat" / "_schemas"
    (tmp_path / "compat" / "_schemas").rmdir()
    assert schemas._schema_dir() == tmp_path / "schemas"
