"""``compat run`` from its own environment (pipx style), on another Python, and the Python
processes a program starts (issue 17, part 5)."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import requests
import urllib3

from compat.runner import hook_text
from tests._support.runner import clean_env, compat_run, credential_names, last_json, write

# The program's own requests, its own urllib, no requests_oauthlib and no compat installed.
PIPX_BOT = """
    import json, sys, urllib.request
    import requests
    r = requests.get("https://api.twitter.com/1.1/favorites/list.json", params={"count": 2})
    missing = []
    for name in ("requests_oauthlib", "compat", "oauthlib"):
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    print(json.dumps({"status": r.status_code, "n": len(r.json()), "requests": requests.__file__,
                      "missing": missing, "path": sys.path,
                      "patched": hasattr(urllib.request.HTTPSHandler.https_open, "__wrapped__")}))
"""


def program_venv(tmp_path: pathlib.Path) -> pathlib.Path:
    """A second environment, built offline: a venv without pip holding its own copy of
    requests and its dependencies (as `pip install requests` would have put there)."""
    venv = tmp_path / "program-venv"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", "--without-pip", str(venv)], check=True)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = venv / "lib" / version / "site-packages"
    import certifi
    import charset_normalizer
    import idna

    for module in (requests, urllib3, idna, certifi, charset_normalizer):
        source = pathlib.Path(module.__file__ or "").parent
        shutil.copytree(source, site / source.name)
    return venv


def test_pipx_style_the_programs_own_requests_is_patched(tmp_path: pathlib.Path) -> None:
    venv = program_venv(tmp_path)
    folder = tmp_path / "legacy"
    write(folder, "bot.py", PIPX_BOT)
    python = str(venv / "bin" / "python")
    done = compat_run(["--emulator", "--likes", "3", "--", python, "bot.py"], cwd=folder)
    assert done.returncode == 0, done.stderr
    result = last_json(done.stdout)
    assert result["status"] == 200 and result["n"] == 2  # served by the emulator
    assert result["requests"].startswith(str(venv))  # the program's copy, not compat's
    assert result["patched"] is True
    # What the program could not import without compat, it cannot import under it either.
    assert result["missing"] == ["requests_oauthlib", "compat", "oauthlib"]
    compat_root = str(pathlib.Path(__file__).resolve().parents[2])
    assert compat_root not in result["path"]
    assert not [p for p in result["path"] if p.startswith(str(pathlib.Path(sys.prefix)))]


def test_a_program_on_another_python_minor_version_stops_with_a_message(
    tmp_path: pathlib.Path,
) -> None:
    hook = tmp_path / "hook"
    hook.mkdir()
    marker = tmp_path / "ran"
    program = write(tmp_path, "bot.py", f"open({str(marker)!r}, 'w').close()\n")
    env = clean_env({"PYTHONPATH": str(hook)})
    # This process plays compat run (the program is its child), compat "runs on" 3.99.
    (hook / "sitecustomize.py").write_text(hook_text(os.getpid(), python=(3, 99)))
    main = subprocess.run([sys.executable, program], env=env, capture_output=True, text=True)
    assert main.returncode == 2 and not marker.exists()
    assert "cannot run the program" in main.stderr and "compat runs on Python 3.99" in main.stderr
    # A process that program started (its parent is not compat run) runs, without the shim.
    (hook / "sitecustomize.py").write_text(hook_text(os.getppid(), python=(3, 99)))
    other = subprocess.run([sys.executable, program], env=env, capture_output=True, text=True)
    assert other.returncode == 0 and marker.exists()
    assert other.stderr.count("compat run: warning:") == 1 and "without the shim" in other.stderr


# The program compat run starts: Python processes of its own, with the environment minus
# every credential (as a wrapper or `pip` would run), and one with everything.
PARENT = """
    import json, os, subprocess, sys
    names = set(json.loads(os.environ["CREDENTIAL_NAMES"]))
    bare = {k: v for k, v in os.environ.items() if k not in names}
    uses_requests = (
        "import requests, sys; print('started', "
        "hasattr(requests.Session.get_adapter, '__compat_patch__'))"
    )
    out = {}
    for name, argv, env in [
        ("pip", [sys.executable, "-m", "pip", "--version"], bare),
        ("bare_requests", [sys.executable, "-c", uses_requests], bare),
        ("with_keys", [sys.executable, "-c", uses_requests], dict(os.environ)),
    ]:
        done = subprocess.run(argv, env=env, capture_output=True, text=True)
        out[name] = [done.returncode, done.stdout.strip(), done.stderr.strip()]
    print(json.dumps(out))
"""


def test_children_without_what_the_shim_needs_run_unshimmed_with_one_warning(
    tmp_path: pathlib.Path,
) -> None:
    program = write(tmp_path, "parent.py", PARENT)
    env = clean_env({"CREDENTIAL_NAMES": json.dumps(credential_names())})
    done = compat_run(["--emulator", "--", "python", program.name], cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    out = last_json(done.stdout)
    code, printed, warned = out["pip"]
    assert code == 0 and printed.startswith("pip ") and warned == ""  # pip imports no trigger
    code, printed, warned = out["bare_requests"]
    assert (code, printed) == (0, "started False")
    assert warned.count("compat run: warning:") == 1 and "without the shim" in warned
    assert out["with_keys"][:2] == [0, "started True"]
