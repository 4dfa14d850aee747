"""Exit codes as the README promises (issue 14): 0 all well, 1 invalid data, 2 a mistake in
the command or its settings. One case per mistake, each checked to leave nothing behind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from upr_summary.cli import cli

from .conftest import SAMPLE

BAD_DATA = "submission,organization,issue_area,finding\nA1,Org,Housing,\n"


def _run(args: list[str]):
    result = CliRunner().invoke(cli, args)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("args, says", [
    (["build", "{data}", "-o", "{out}", "--format", "odt"], "Unknown format 'odt'"),
    (["build", "{data}", "-o", "{out}", "--format", "json,compilation"], "add docx, md or pdf"),
    (["build", "{data}", "-o", "{out}", "--codebook", "{tmp}/nope.yaml"], "Codebook not found"),
    (["validate", "{data}", "--codebook", "{tmp}/nope.qdc"], "Codebook not found"),
    (["build", "{data}", "-o", "{out}", "--reference-docx", "{tmp}/nope.docx"],
     "Reference document not found"),
    (["build", "{data}", "-o", "{out}", "--templates", "{tmp}/nope"], "nope"),
    (["build", "{data}", "-o", "{out}", "--recommendations", "{tmp}/nope.csv"],
     "Recommendations file not found"),
    (["stats", "{data}", "--recommendations", "{tmp}/nope.csv"], "Recommendations file not found"),
    (["stats", "{data}", "--gaps"], "--gaps needs earlier recommendations"),
    (["stats", "{data}", "--by", "type", "--cross"], "--by type and --cross are different"),
    (["stats", "{data}", "--cross", "--gaps"], "--cross and --gaps are different"),
    (["build", "{data}", "-o", "{out}", "--config", "{tmp}/nope.yaml"], "Config file not found"),
    (["build", "{data}", "-o", "{out}", "--language", "xx"], "no catalogue"),
    (["build", "{data}", "-o", "{out}", "--max-words", "-5"], "max-words"),
], ids=["format", "compilation-alone", "codebook", "codebook-validate", "reference-docx", "templates",
        "recommendations", "recommendations-stats", "gaps", "by-and-cross", "cross-and-gaps", "config", "language", "max-words"])
def test_a_mistake_in_the_command_exits_2(tmp_path, args, says):
    data = tmp_path / "data"
    data.mkdir()
    (data / "s.csv").write_text("submission,organization,issue_area,finding\n"
                                "A1,Org,Housing,Rents rose.\n", encoding="utf-8")
    filled = [a.format(data=data, out=tmp_path / "out", tmp=tmp_path) for a in args]
    result = _run(filled)
    assert result.exit_code == 2, result.output
    assert says.lower() in result.output.lower()
    assert not (tmp_path / "out").exists()


def test_init_into_a_project_without_force_exits_2(tmp_path):
    assert _run(["init", str(tmp_path / "p")]).exit_code == 0
    config = tmp_path / "p" / "upr-summary.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# mine\n", encoding="utf-8")
    again = _run(["init", str(tmp_path / "p")])
    assert again.exit_code == 2 and "--force" in again.output
    assert config.read_text(encoding="utf-8").endswith("# mine\n")  # untouched


def test_a_broken_project_file_exits_2_naming_the_line(tmp_path):
    (tmp_path / "upr-summary.yaml").write_text("title: x\ncolumns:\n  findng: Text\n")
    (tmp_path / "s.csv").write_text(BAD_DATA.replace(",\n", ",Rents rose.\n"))
    result = _run(["validate", str(tmp_path)])
    assert result.exit_code == 2 and "upr-summary.yaml:3" in result.output


@pytest.mark.parametrize("command", [["validate"], ["stats"], ["build", "-o", "{out}"]])
def test_invalid_data_exits_1(tmp_path, command):
    (tmp_path / "s.csv").write_text(BAD_DATA, encoding="utf-8")
    args = [a.format(out=tmp_path / "out") for a in command] + [str(tmp_path / "s.csv")]
    result = _run(args)
    assert result.exit_code == 1, result.output
    assert "missing-value" in result.output
    assert not (tmp_path / "out").exists()


def test_all_well_exits_0(tmp_path):
    assert _run(["validate", str(SAMPLE)]).exit_code == 0
