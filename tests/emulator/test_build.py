"""The shipped dataset is exactly what the build script makes of the real recorded payloads."""

from __future__ import annotations

import json
import pathlib

from compat.emulator import _build
from tests._support import REALDATA, ROOT

SHIPPED = ROOT / "compat" / "emulator" / "data" / "dataset.json"


def test_rebuilding_from_the_real_payloads_gives_the_shipped_dataset(
    tmp_path: pathlib.Path, capsys: object
) -> None:
    out = tmp_path / "dataset.json"
    assert _build.main([str(REALDATA), str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        SHIPPED.read_text(encoding="utf-8")
    )
