from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "submissions"
SAMPLE_CONFIG = ROOT / "data" / "upr-summary.yaml"
BAD = Path(__file__).resolve().parent / "bad_inputs"
UPR_INFO = ROOT.parent / "shared" / "data" / "upr-info"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def write(tmp_path: Path):
    """Write bytes or text to a file under tmp_path and return its path as a string."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return str(path)

    return _write


def codes(problems) -> list[str]:
    return [p.code for p in problems]
