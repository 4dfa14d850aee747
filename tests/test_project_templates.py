"""The project's templates folder (issue 11, point 6): `init` copies the shipped templates,
`build` reads the project's copy (or the folder `templates:` names, or --templates),
warns about copies older than the shipped templates, and never trusts a link or writes
the report into the templates folder. The sample's top-level templates/ is the shipped
one, byte for byte."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import upr_summary as u
from upr_summary.cli import cli
from upr_summary.compose import MAIN_TEMPLATE
from upr_summary.project_templates import MANIFEST, README, copy_targets, shipped_files
from upr_summary.render.templating import PACKAGE_TEMPLATES

from .conftest import ROOT, SAMPLE

CSV = "submission,organization,issue_area,finding\nA,Org A,Housing,Rents rose by half.\n"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


def test_the_sample_templates_folder_is_the_shipped_one():
    """templates/ at the repository's top level (the sample project's copy, named by
    data/upr-summary.yaml) holds the same files as src/upr_summary/templates/. After
    changing a shipped template: rm -r templates && cp -r src/upr_summary/templates ."""
    assert _files(ROOT / "templates") == _files(PACKAGE_TEMPLATES)
    assert u.Project([SAMPLE]).templates() == ROOT / "data" / ".." / "templates"


@pytest.fixture
def project(runner, tmp_path) -> Path:
    root = tmp_path / "review"
    result = runner.invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    (root / "submissions" / "a.csv").write_text(CSV)
    return root


def _build(runner, root: Path, *args: str):
    out = root.parent / "out"
    result = runner.invoke(cli, ["build", str(root / "submissions"), "-o", str(out),
                                 "--format", "md", "--codebook", "none", *args])
    return result, out


def test_init_copies_every_shipped_template_with_a_readme_and_a_manifest(project, runner):
    folder = project / "templates"
    copied = _files(folder)
    assert set(copied) == set(shipped_files()) | {README, MANIFEST}
    for name in shipped_files():
        assert copied[name] == (PACKAGE_TEMPLATES / name).read_bytes()
    lines = (folder / MANIFEST).read_text().splitlines()
    assert lines == [f"{hashlib.sha256(copied[n]).hexdigest()}  {n}" for n in shipped_files()]
    readme = (folder / README).read_text()
    assert "upr-summary build" in readme and "--templates" in readme
    # Again: refused, naming the files; --force writes them again.
    again = runner.invoke(cli, ["init", str(project)])
    assert again.exit_code == 2 and "already exist" in again.stderr
    (folder / MAIN_TEMPLATE).write_text("edited")
    assert runner.invoke(cli, ["init", "--force", str(project)]).exit_code == 0
    assert (folder / MAIN_TEMPLATE).read_bytes() == (PACKAGE_TEMPLATES / MAIN_TEMPLATE).read_bytes()


def test_init_refuses_a_templates_file_or_link(runner, tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    (root / "templates").write_text("not a folder")
    result = runner.invoke(cli, ["init", "--force", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    (root / "templates").unlink()
    (root / "templates").symlink_to(tmp_path)
    assert runner.invoke(cli, ["init", "--force", str(root)]).exit_code == 1
    assert not (tmp_path / MANIFEST).exists()


def test_build_reads_the_project_templates_folder(project, runner):
    (project / "templates" / MAIN_TEMPLATE).open("a").write("\nEDITED-IN-THE-PROJECT\n")
    result, out = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert "EDITED-IN-THE-PROJECT" in (out / "executive-summary.md").read_text()
    assert "template-" not in result.stderr  # an edited copy of the current template: no warning


def test_a_template_not_in_the_folder_falls_back_to_the_shipped_one(project, runner):
    for name in shipped_files():
        (project / "templates" / name).unlink()
    result, out = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert (out / "executive-summary.md").read_text().startswith("# Executive summary")
    assert "template-outdated" not in result.stderr


def test_the_templates_setting_names_another_folder_and_the_option_wins(project, runner, tmp_path):
    shared = tmp_path / "shared-templates"
    shared.mkdir()
    (shared / MAIN_TEMPLATE).write_text("FROM THE SETTING\n")
    config = project / "upr-summary.yaml"
    config.write_text(config.read_text() + "\ntemplates: ../shared-templates\n")
    result, out = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert (out / "executive-summary.md").read_text() == "FROM THE SETTING\n"
    option = tmp_path / "option"
    option.mkdir()
    (option / MAIN_TEMPLATE).write_text("FROM THE OPTION\n")
    result, out = _build(runner, project, "--templates", str(option))
    assert result.exit_code == 0, result.output
    assert (out / "executive-summary.md").read_text() == "FROM THE OPTION\n"
    # A setting naming a folder that is not there: exit 1, the project file named.
    config.write_text(config.read_text().replace("../shared-templates", "../nowhere"))
    result, out = _build(runner, project)
    assert result.exit_code == 2 and "upr-summary.yaml" in result.stderr
    assert "Traceback" not in result.output
    assert (out / "executive-summary.md").read_text() == "FROM THE OPTION\n"  # untouched


def test_a_linked_templates_folder_is_refused(project, runner, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / MAIN_TEMPLATE).write_text("FROM A LINK\n")
    os.rename(project / "templates", tmp_path / "moved")
    (project / "templates").symlink_to(elsewhere)
    result, out = _build(runner, project)
    assert result.exit_code == 2 and "symbolic link" in result.stderr and not out.exists()
    (project / "templates").unlink()
    (project / "linked").symlink_to(elsewhere)
    config = project / "upr-summary.yaml"
    config.write_text(config.read_text() + "\ntemplates: linked\n")
    result, out = _build(runner, project)
    assert result.exit_code == 2 and "symbolic link" in result.stderr and not out.exists()


def test_a_linked_template_file_leading_outside_is_refused(project, runner, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    main = project / "templates" / MAIN_TEMPLATE
    main.unlink()
    main.symlink_to(secret)
    result, out = _build(runner, project)
    assert result.exit_code == 1 and "outside the templates folder" in result.stderr
    assert "TOP SECRET" not in result.output and not out.exists()


def test_the_templates_folder_is_never_the_output_folder(project, runner):
    result = runner.invoke(cli, ["build", str(project / "submissions"), "-o",
                                 str(project / "templates"), "--format", "md"])
    assert result.exit_code == 2 and "templates folder" in result.stderr
    assert not (project / "templates" / "executive-summary.md").exists()


def _manifest(folder: Path, name: str, digest: str) -> None:
    (folder / MANIFEST).write_text(f"{digest}  {name}\n")


def test_a_copy_of_an_older_shipped_template_gets_a_warning(project, runner):
    folder = project / "templates"
    shipped = (PACKAGE_TEMPLATES / MAIN_TEMPLATE).read_bytes()
    # An unedited copy of an older version: the copy is what the manifest recorded.
    old = shipped + b"\n{# an older version #}\n"
    (folder / MAIN_TEMPLATE).write_bytes(old)
    _manifest(folder, MAIN_TEMPLATE, hashlib.sha256(old).hexdigest())
    result, out = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("[template-outdated]") == 1
    assert str(folder / MAIN_TEMPLATE) in result.stderr and "not edited" in result.stderr
    # An edited copy of an older version: compare and carry the edits over.
    (folder / MAIN_TEMPLATE).write_bytes(old + b"my edit\n")
    result, out = _build(runner, project)
    assert result.exit_code == 0 and "[template-outdated]" in result.stderr
    new_line = f"{hashlib.sha256(shipped).hexdigest()}  {MAIN_TEMPLATE}"
    assert new_line in result.stderr
    # Following the advice silences it.
    (folder / MANIFEST).write_text(new_line + "\n")
    result, out = _build(runner, project)
    assert result.exit_code == 0 and "template-" not in result.stderr
    # -q prints errors only.
    _manifest(folder, MAIN_TEMPLATE, hashlib.sha256(old).hexdigest())
    assert "template-" not in _build(runner, project, "-q")[0].stderr
    # The library returns the warning.
    result = u.Project([project / "submissions"], codebook="none").build(out, ["md"])
    assert [p.code for p in result.template_problems] == ["template-outdated"]


def test_an_outdated_copy_that_breaks_the_render_says_so(project, runner):
    folder = project / "templates"
    (folder / MAIN_TEMPLATE).write_text("{{ summary.no_such_field }}\n")
    _manifest(folder, MAIN_TEMPLATE, "0" * 64)
    result, out = _build(runner, project)
    assert result.exit_code == 1 and "older version of the shipped templates" in result.stderr
    assert "Traceback" not in result.output and not out.exists()


@pytest.mark.parametrize("manifest,code", [
    (b"this is not a manifest\n", "template-manifest-unreadable"),
    (b"\xff\xfe garbage", "template-manifest-unreadable"),
    (b"abc  executive-summary.md.j2\n", "template-manifest-unreadable"),
    (b"0" * 64 + b"  \n", "template-manifest-unreadable"),
    (b"# comment\n\n" + b"0" * 64 + b"  ../../etc/passwd\n", None),
    (b"", None),
    (b"x" * (1024 * 1024 + 1), "template-manifest-too-large"),
    ("dir", "template-manifest-unreadable"),
    ("link", "template-manifest-unreadable"),
])
def test_a_garbled_manifest_is_one_warning_and_the_build_goes_on(project, runner, tmp_path,
                                                                  manifest, code):
    path = project / "templates" / MANIFEST
    path.unlink()
    if manifest == "dir":
        path.mkdir()
    elif manifest == "link":
        target = tmp_path / "real"
        target.write_text("0" * 64 + f"  {MAIN_TEMPLATE}\n")
        path.symlink_to(target)
    else:
        path.write_bytes(manifest)
    result, out = _build(runner, project)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and (out / "executive-summary.md").is_file()
    warned = [c for c in ("template-manifest-unreadable", "template-manifest-too-large",
                          "template-outdated") if f"[{c}]" in result.stderr]
    assert warned == ([code] if code else [])
    if code:
        assert result.stderr.count(f"[{code}]") == 1


def test_a_missing_manifest_means_no_check(project, runner):
    (project / "templates" / MANIFEST).unlink()
    (project / "templates" / MAIN_TEMPLATE).open("a").write("\nedited\n")
    result, out = _build(runner, project)
    assert result.exit_code == 0 and "template-" not in result.stderr


def test_copy_targets_lists_what_init_writes(tmp_path):
    from upr_summary.project_templates import copy_shipped

    assert sorted(copy_shipped(tmp_path / "t")) == sorted(copy_targets(tmp_path / "t"))
