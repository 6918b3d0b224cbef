"""The package as it would be published: the wheel and the sdist built by hatchling from the
test extra (no build isolation, so no network), their contents, and the installed wheel
running ``compat demo`` and ``compat audit`` in a fresh virtual environment that holds only
compat's runtime dependencies (no test extra: no tweepy, no pytest).

The fresh environment gets its runtime dependencies offline: the distributions compat
requires (and theirs, recursively) are linked from this environment into one folder that a
``.pth`` file puts on the new interpreter's path; ``pip check`` then proves they are all it
needs.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from compat import __version__
from tests._support import ROOT

BUILD = (
    "import sys; from hatchling.build import build_sdist, build_wheel; "
    "print(build_wheel(sys.argv[1]) if sys.argv[2] == 'wheel' else build_sdist(sys.argv[1]))"
)


def _build(kind: str, source: Path, out: Path) -> Path:
    name = subprocess.run(
        [sys.executable, "-c", BUILD, str(out), kind],
        cwd=source,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    return out / name


def _source_files(folder: str) -> set[str]:
    """The files of ``folder`` a release carries (what git would: no caches)."""
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    return {"wheel": _build("wheel", ROOT, out), "sdist": _build("sdist", ROOT, out)}


@pytest.fixture(scope="module")
def wheel_names(dist: dict[str, Path]) -> set[str]:
    with zipfile.ZipFile(dist["wheel"]) as whl:
        return set(whl.namelist())


@pytest.fixture(scope="module")
def sdist_names(dist: dict[str, Path]) -> set[str]:
    prefix = f"compat-{__version__}/"
    with tarfile.open(dist["sdist"]) as tar:
        return {m.name.removeprefix(prefix) for m in tar.getmembers() if m.isfile()}


def test_the_wheel_carries_the_package_data_and_the_licence(
    dist: dict[str, Path], wheel_names: set[str]
) -> None:
    assert dist["wheel"].name == f"compat-{__version__}-py3-none-any.whl"
    info = f"compat-{__version__}.dist-info"
    assert "compat/py.typed" in wheel_names
    schemas = {n.removeprefix("schemas/") for n in _source_files("schemas")}
    assert schemas and {f"compat/_schemas/{n}" for n in schemas} <= wheel_names
    data = _source_files("compat/_data") | _source_files("compat/emulator/data")
    assert "compat/_data/plans.json" in data and data <= wheel_names
    assert f"{info}/licenses/LICENSE" in wheel_names
    assert not {n for n in wheel_names if n.startswith(("tests/", "benchmarks/", "docs/"))}
    with zipfile.ZipFile(dist["wheel"]) as whl:
        licence = whl.read(f"{info}/licenses/LICENSE").decode()
        meta = email.message_from_bytes(whl.read(f"{info}/METADATA"))
        entry_points = whl.read(f"{info}/entry_points.txt").decode()
    assert licence == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Copyright (c) 2026 The compat authors" in licence
    assert meta["License-Expression"] == "MIT" and meta["License-File"] == "LICENSE"
    assert "Programming Language :: Python :: 3.11" in meta.get_all("Classifier", [])
    assert meta["Requires-Python"] == ">=3.10"
    assert not meta.get_all("Project-URL"), "no placeholder project URL"
    assert "example.invalid" not in meta.as_string()
    assert "[pytest11]\ncompat = compat.pytest_plugin" in entry_points
    assert "[console_scripts]\ncompat = compat.cli:main" in entry_points


def test_the_sdist_carries_what_its_own_test_run_needs(sdist_names: set[str]) -> None:
    for folder in ("compat", "schemas", "tests", "cassettes", "benchmarks", "scripts", "docs"):
        missing = _source_files(folder) - sdist_names
        assert not missing, (folder, sorted(missing)[:5])
    assert {"LICENSE", "CHANGELOG.md", "README.md", "mkdocs.yml", "pyproject.toml"} <= sdist_names
    assert ".ci/run" in sdist_names
    assert not {n for n in sdist_names if "__pycache__" in n or n.startswith(("site/", ".venv"))}


def test_a_wheel_builds_from_the_sdist_alone(dist: dict[str, Path], tmp_path: Path) -> None:
    with tarfile.open(dist["sdist"]) as tar:
        tar.extractall(tmp_path, filter="data")
    source = tmp_path / f"compat-{__version__}"
    rebuilt = _build("wheel", source, tmp_path)
    with zipfile.ZipFile(rebuilt) as whl, zipfile.ZipFile(dist["wheel"]) as original:
        assert set(whl.namelist()) == set(original.namelist())


def runtime_closure() -> list[metadata.Distribution]:
    """compat's runtime requirements (markers evaluated here, no extras) and theirs."""
    env = default_environment()
    seen: dict[str, metadata.Distribution] = {}
    todo = [Requirement(r) for r in metadata.requires("compat") or []]
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({**env, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        seen[name] = metadata.distribution(req.name)
        todo.extend(Requirement(r) for r in seen[name].requires or [])
    return list(seen.values())


def _link_runtime(into: Path) -> set[str]:
    """Symlink the runtime distributions' top-level entries (packages, modules, dist-info)
    into ``into``; returns their names."""
    into.mkdir()
    names = set()
    for d in runtime_closure():
        base = Path(str(d.locate_file("")))
        for file in d.files or []:
            top = file.parts[0]
            if top == ".." or top in names or top.endswith(".pth"):
                continue
            names.add(top)
            (into / top).symlink_to(base / top)
        names.add(canonicalize_name(d.metadata["Name"]))
    return names


@pytest.fixture(scope="module")
def fresh_venv(dist: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("venv")
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    linked = _link_runtime(root / "runtime")
    assert {"requests", "requests-oauthlib", "jsonschema"} <= linked
    assert not {"tweepy", "pytest", "twython", "python-twitter"} & linked
    Path(purelib, "compat_runtime_deps.pth").write_text(str(root / "runtime") + "\n")
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "--no-index", "--no-deps", "--no-compile", "-q", str(dist["wheel"])],
        check=True,
        timeout=120,
    )
    check = subprocess.run([*pip, "check"], capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    yield venv


def _run(venv: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMPAT_", "PYTHON"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or venv,
        env=env,
        check=False,
    )


def test_the_installed_wheel_is_what_runs_without_the_test_extra(fresh_venv: Path) -> None:
    probe = _run(
        fresh_venv,
        "python",
        "-c",
        "import compat, importlib.util as u; print(compat.__file__); "
        "print([m for m in ('tweepy', 'pytest', 'twython') if u.find_spec(m)])",
        cwd=fresh_venv,  # not this checkout's folder, which `python -c` would put first
    )
    where, missing = probe.stdout.splitlines()
    assert str(fresh_venv) in where and "site-packages" in where  # not this checkout
    assert missing == "[]"


def test_compat_demo_runs_from_the_wheel(fresh_venv: Path) -> None:
    run = _run(fresh_venv, "compat", "demo", "--likes", "20")
    assert run.returncode == 0, run.stderr
    assert "(tweepy is not installed: skipping the tweepy 4 call)" in run.stdout
    assert "legacy calls ->" in run.stdout and "cost on pay-per-use" in run.stdout
    version = _run(fresh_venv, "compat", "--version")
    assert version.stdout.strip() == f"compat {__version__}"


def test_compat_audit_runs_from_the_wheel(fresh_venv: Path, tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(
        "import tweepy\napi = tweepy.API(None)\napi.create_favorite(1)\n", encoding="utf-8"
    )
    run = _run(fresh_venv, "compat", "audit", str(tmp_path), "--format", "json")
    assert run.returncode == 1, run.stderr  # findings
    assert '"CPT101"' in run.stdout and "bot.py" in run.stdout
