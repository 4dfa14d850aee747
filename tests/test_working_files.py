"""The coordinator's working files and the commands' output paths: nothing of a member's
is replaced, nothing private is published, a path mistake is a command mistake (exit 2)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from upr_summary.cli import cli
from upr_summary.export import to_csv

ROWS = (
    "submission,organization,city,type,issue_area,finding,recommendation,contact_email,"
    "confidential\n"
    "SHC,Hidden Shelter Collective,Northtown,individual,Housing,Evictions of families with "
    "children rose sharply in 2024.,Stop evictions.,s@hidden.example.org,yes\n"
    "SHC,Hidden Shelter Collective,,,,Shelters turned away 4000 people in winter.,"
    "Fund shelters.,,\n"
    "PUB,Public Org,South,individual,Housing,\"Together with Hidden Shelter Collective (SHC) "
    "we documented 300 evictions.\",Adopt a moratorium.,p@pub.example.org,no\n"
    "PUB,Public Org,,,,Untagged and left out of the report.,,,\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: upr-summary.yaml, submissions/a.csv."""
    (tmp_path / "submissions").mkdir()
    (tmp_path / "submissions" / "a.csv").write_text(ROWS, encoding="utf-8")
    (tmp_path / "upr-summary.yaml").write_text("title: Test report\nstate: Testland\n",
                                               encoding="utf-8")
    return tmp_path


def _build(runner, project: Path, *args: str):
    return runner.invoke(cli, ["build", str(project / "submissions"), "-o",
                               str(project / "out"), "--format", "md", *args])


def test_a_members_file_named_excluded_csv_is_never_replaced(runner, project):
    mine = project / "excluded.csv"
    mine.write_text("submission,organization,finding\nX,Member,Their own finding.\n",
                    encoding="utf-8")
    result = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert "not upr-summary's list of left-out findings" in result.stderr
    assert mine.read_text(encoding="utf-8").endswith("Their own finding.\n")
    # ours is replaced, build after build
    mine.unlink()
    assert _build(runner, project).exit_code == 0 and mine.is_file()
    first = mine.read_text(encoding="utf-8-sig")
    assert first.startswith("left out by upr-summary") and "Untagged and left out" in first
    assert _build(runner, project).exit_code == 0


def test_excluded_csv_is_not_written_through_a_link(runner, project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "target.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    os.symlink(elsewhere, project / "excluded.csv")
    result = _build(runner, project)
    assert result.exit_code == 0 and "is a link" in result.stderr
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert (project / "excluded.csv").is_symlink()


def test_a_failed_excluded_list_is_said_not_silent(runner, project, monkeypatch):
    import upr_summary.fileio as fileio

    real = fileio.atomic_write_bytes

    def failing(path, data):
        if Path(path).name == "excluded.csv":
            raise OSError(30, "Read-only file system")
        return real(path, data)

    monkeypatch.setattr(fileio, "atomic_write_bytes", failing)
    result = _build(runner, project)
    assert result.exit_code == 0
    assert "could not be written" in result.stderr and "Read-only" in result.stderr


def test_the_excluded_list_named_on_the_command_line_is_not_read(runner, project):
    assert _build(runner, project).exit_code == 0
    result = runner.invoke(cli, ["validate", str(project / "submissions" / "a.csv"),
                                 str(project / "excluded.csv")])
    assert result.exit_code == 0, result.output
    assert "working-file-skipped" in result.output


def test_classify_then_build_still_withholds_a_confidential_name(runner, project):
    work = project / "suggested.csv"
    result = runner.invoke(cli, ["classify", str(project / "submissions"), "-o", str(work),
                                 "-q"])
    assert result.exit_code == 0, result.output
    text = work.read_text(encoding="utf-8-sig")
    assert "s@hidden.example.org" not in text  # contact e-mails left out
    result = runner.invoke(cli, ["build", str(work), "-o", str(project / "out"), "--format",
                                 "md,json,compilation"])
    assert result.exit_code == 0, result.output
    for path in (project / "out").iterdir():
        if path.suffix in (".md", ".json"):
            published = path.read_text(encoding="utf-8")
            assert "Hidden Shelter" not in published and "SHC" not in published, path.name
    assert "we documented 300 evictions" in (project / "out" / "compilation.md").read_text(
        encoding="utf-8")


@pytest.mark.parametrize("command", [
    ["stats", "--format", "csv"], ["stats", "--format", "xlsx"], ["stats", "--format", "json"],
    ["classify"],
])
def test_an_output_file_never_replaces_what_was_read(runner, project, command):
    source = project / "submissions" / "a.csv"
    for target in (source, project / "upr-summary.yaml"):
        result = runner.invoke(cli, [command[0], str(project / "submissions"), *command[1:],
                                     "-o", str(target)])
        assert result.exit_code == 2, (target, result.output)
        assert "Traceback" not in result.output
    assert source.read_text(encoding="utf-8") == ROWS


def test_stats_files_stay_out_of_input_folders_classify_is_skipped_there(runner, project):
    inside = project / "submissions" / "counts.xlsx"
    result = runner.invoke(cli, ["stats", str(project / "submissions"), "--format", "xlsx",
                                 "-o", str(inside)])
    assert result.exit_code == 2 and "inside the input folder" in result.output
    assert not inside.exists()
    mine = project / "submissions" / "suggested.csv"
    assert runner.invoke(cli, ["classify", str(project / "submissions"), "-o", str(mine),
                               "-q"]).exit_code == 0
    again = runner.invoke(cli, ["classify", str(project / "submissions"), "-o", str(mine),
                                "-q"])
    assert again.exit_code == 0, again.output  # our own working file, replaced
    result = runner.invoke(cli, ["stats", str(project / "submissions"), "--format", "csv",
                                 "-o", str(project / "counts.csv")])
    assert result.exit_code == 0 and f"wrote {project / 'counts.csv'}" in result.stdout


@pytest.mark.parametrize("where", [".", ".."])
def test_a_report_folder_holding_the_project_is_refused(runner, project, where):
    out = project if where == "." else project.parent
    result = runner.invoke(cli, ["build", str(project / "submissions"), "-o", str(out),
                                 "--format", "md"])
    assert result.exit_code == 2, result.output
    assert "holds" in result.stderr and not (out / "executive-summary.md").exists()


def test_a_path_that_does_not_exist_is_a_mistake_in_the_command(runner, project):
    for command in ("validate", "build", "stats"):
        result = runner.invoke(cli, [command, str(project / "submisions")])
        assert result.exit_code == 2, (command, result.output)
        assert "Did you mean" in result.stderr and "submissions" in result.stderr
    result = runner.invoke(cli, ["classify", str(project / "nothing-like-it"), "-o",
                                 str(project / "s.csv")])
    assert result.exit_code == 2 and "Did you mean" not in result.stderr


def test_csv_fields_with_semicolons_are_quoted_for_excel_in_semicolon_languages():
    text = to_csv([{"a": "x;=1+1;y", "b": 3, "c": "plain"}])
    assert text.splitlines()[1] == '"x;=1+1;y",3,plain'
