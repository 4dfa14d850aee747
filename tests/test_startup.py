"""Start-up stays light: the CLI module and --help import no heavy library."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["pandas", "docx", "matplotlib", "sklearn", "openpyxl", "numpy", "yaml", "jinja2", "babel",
         "wordllama", "tokenizers", "safetensors"]


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_imports_no_heavy_library():
    loaded = _modules_after("import upr_summary.cli")
    assert not [m for m in HEAVY if m in loaded]


def test_help_imports_no_heavy_library():
    code = (
        "import sys\n"
        "from upr_summary.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='upr-summary')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    loaded = _modules_after(code)
    assert not [m for m in HEAVY if m in loaded]


def test_validate_does_not_import_pandas(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("submission,organization,issue_area,finding\nA,Org A,Food,x\n")
    code = (
        "from upr_summary.cli import cli\n"
        "try:\n"
        f"    cli(['validate', {str(path)!r}], prog_name='upr-summary')\n"
        "except SystemExit:\n"
        "    pass\n"
    )
    assert "pandas" not in _modules_after(code)


EMBEDDING = ["wordllama", "tokenizers", "safetensors"]


def test_validate_and_stats_import_no_embedding_library(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("submission,organization,issue_area,finding\nA,Org A,Food,x\nB,Org B,Food,y\n")
    for command in (["validate", str(path)], ["stats", str(path)]):
        code = (
            "from upr_summary.cli import cli\n"
            "try:\n"
            f"    cli({command!r}, prog_name='upr-summary')\n"
            "except SystemExit:\n"
            "    pass\n"
        )
        loaded = _modules_after(code)
        assert not [m for m in EMBEDDING if m in loaded], command
