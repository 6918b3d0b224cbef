"""A bad argument to any command is one line naming it and exit status 2: no traceback, no
request, no program started. Each case is a value a person could type."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests._support.cli import invoke

#: (argv, a fragment the message must have); ``{tmp}`` is a fresh folder.
BAD: list[tuple[list[str], str]] = [
    (["demo", "--likes", "-5"], "--likes"),
    (["demo", "--likes", "99999999999999999999"], "--likes"),
    (["demo", "--plan", "gold"], "--plan"),
    (["demo", "--format", "yaml"], "--format"),
    (["emulator", "--port", "-1"], "--port"),
    (["emulator", "--port", "70000"], "--port"),
    (["emulator", "--likes", "-5"], "--likes"),
    (["emulator", "--likes", "10000000000"], "--likes"),
    (["emulator", "--dataset", "{tmp}/missing.json"], "missing.json"),
    (["emulator", "--dataset", "{tmp}/bad.json"], "bad.json"),
    (["emulator", "--dataset", "{tmp}"], "cannot read dataset"),
    (["emulator", "--plan", "gold"], "--plan"),
    (["emulator", "--user", "bad name!"], "--user"),
    (["emulator", "--format", "yaml"], "--format"),
    (["run", "--emulator", "--likes", "-5", "--", "{program}"], "--likes"),
    (["run", "--emulator", "--likes", "99999999999999", "--", "{program}"], "--likes"),
    (["run", "--emulator", "--plan", "gold", "--", "{program}"], "--plan"),
    (["run", "--emulator", "--user", "bad name!", "--", "{program}"], "--user"),
    (["run", "--emulator", "--dataset", "{tmp}/bad.json", "--", "{program}"], "bad.json"),
    (["run", "--emulator", "--emulator-state", "{tmp}/no/dir/s.json", "--", "{program}"], "dir"),
    (["run", "--emulator", "--audit-log", "{tmp}/no/dir/a.jsonl", "--", "{program}"], "dir"),
    (["run", "--api-base", "notaurl", "--", "{program}"], "api_base"),
    (["run", "--api-base", "ftp://x", "--", "{program}"], "api_base"),
    (["run", "--backend", "nope", "--", "{program}"], "--backend"),
    (["run", "--likes", "3", "--", "{program}"], "--emulator"),
    (["run", "--format", "json", "--", "{program}"], "--format"),
    (["run", "--emulator"], "no command"),
    (["audit", "{tmp}/missing"], "missing"),
    (["audit", "--format", "yaml", "{tmp}"], "--format"),
    (["audit", "--max-file-size", "-1", "{tmp}"], "--max-file-size"),
    (["audit", "--max-file-size", "99999999999999999999999", "{tmp}"], "--max-file-size"),
    (["audit", "--calls-per-day", "-5", "{tmp}"], "--calls-per-day"),
    (["audit", "--calls-per-day", "nan", "{tmp}"], "--calls-per-day"),
    (["audit", "--calls-per-day", "inf", "--runtime", "{tmp}/bad.json"], "--calls-per-day"),
    (["audit", "--plan", "gold", "{tmp}"], "--plan"),
    (["audit", "--runtime", "{tmp}/missing.jsonl"], "missing.jsonl"),
    (["audit", "--output", "{tmp}/no/dir/x", "{tmp}"], "cannot write"),
    (["audit", "--baseline", "{tmp}/bad.json", "{tmp}"], "bad.json"),
    (["audit", "--select", "NOPE", "{tmp}"], "NOPE"),
    (["doctor", "--emulator", "--probe-write", "-5"], "--probe-write"),
    (["doctor", "--emulator", "--probe-write", "99999999999999999999999999"], "--probe-write"),
    (["doctor", "--api-base", "notaurl"], "api_base"),
    (["doctor", "--plan", "gold"], "--plan"),
    (["doctor", "--emulator", "--format", "yaml"], "--format"),
    (["doctor", "--emulator", "--api-base", "http://127.0.0.1:9"], "--api-base"),
    (["gateway", "link", "--gateway-url", "notaurl"], "gateway_url"),
    (["gateway", "link", "--format", "yaml"], "--format"),
    (["gateway"], "COMMAND"),
    (["nope"], "nope"),
]


@pytest.mark.parametrize(("argv", "fragment"), BAD, ids=[" ".join(a) for a, _ in BAD])
def test_a_bad_argument_is_one_message_and_exit_2(
    argv: list[str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.json").write_text("{bad", encoding="utf-8")
    started = tmp_path / "started"
    program = f"open({str(started)!r}, 'w').close()"
    words: list[str] = []
    for word in argv:
        if word == "{program}":
            words += [sys.executable, "-c", program]
        else:
            words.append(word.replace("{tmp}", str(tmp_path)))
    monkeypatch.setenv("COMPAT_GATEWAY_API_KEY", "gw-key-for-a-bad-url-test")
    ran = invoke(words)
    assert ran.status == 2, (ran.out, ran.err)
    assert fragment in ran.err, ran.err
    assert "Traceback" not in ran.err and ran.err.count("\n") <= 12
    assert ran.err.splitlines()[-1].startswith("compat"), ran.err  # says which command
    assert not started.exists()  # the program was not started


def test_a_gateway_message_names_the_command_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COMPAT_GATEWAY_API_KEY", raising=False)
    monkeypatch.delenv("AISA_API_KEY", raising=False)
    ran = invoke(["gateway", "link"])
    assert ran.status == 2
    assert ran.err.count("compat gateway link") == 1, ran.err
