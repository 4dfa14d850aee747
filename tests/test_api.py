"""The library API: `import upr_summary` gives Project and InvalidData, light and without
click; the README's example runs; the CLI prints what the library returns."""

from __future__ import annotations

import doctest
import json
import re
import shutil
import subprocess
import sys

import pytest

import upr_summary as u
from upr_summary.cli import cli
from upr_summary.config import Config
from upr_summary.errors import InvalidData, UprSummaryError

from .conftest import BAD, ROOT, SAMPLE


def test_the_package_exports_functions_and_classes_not_modules():
    import types

    for name in u.__all__:
        assert not isinstance(getattr(u, name), types.ModuleType), name
    assert callable(u.Project) and callable(u.load_config)
    assert issubclass(u.InvalidData, u.UprSummaryError)


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_package_imports_no_heavy_library_and_no_click():
    loaded = _modules_after("import upr_summary\nupr_summary.Project(['data/submissions'])")
    heavy = ["pandas", "docx", "matplotlib", "sklearn", "click", "openpyxl", "numpy", "jinja2"]
    assert not [m for m in heavy if m in loaded]


def test_the_issue_s_one_liner_works_without_click(tmp_path):
    """`python -c "import upr_summary as u; print(u.Project([...]).stats())"`, with click
    made unimportable: the library does not need it."""
    blocker = tmp_path / "click.py"
    blocker.write_text("raise ImportError('click is not installed')\n")
    code = "import upr_summary as u; print(u.Project(['data/submissions']).stats()[0]['issue_area'])"
    env_path = f"{tmp_path}"
    # (in a copy of the sample: the one-liner keeps its cache beside the project file)
    shutil.copytree(ROOT / "data", tmp_path / "copy" / "data",
                    ignore=shutil.ignore_patterns(".upr-summary-cache", "excluded.csv"))
    shutil.copytree(ROOT / "templates", tmp_path / "copy" / "templates")
    out = subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {env_path!r}); {code}"],
                         capture_output=True, text=True, cwd=tmp_path / "copy")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Migrants"


def _readme_examples() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return "\n".join(b for b in blocks if ">>>" in b)


def test_the_readme_example_runs(monkeypatch):
    source = _readme_examples()
    assert "u.Project" in source
    monkeypatch.chdir(ROOT)
    test = doctest.DocTestParser().get_doctest(source, {}, "README.md", str(ROOT / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    output: list[str] = []
    runner.run(test, out=output.append)
    assert runner.failures == 0, "".join(output)
    assert runner.tries >= 8


# --- Project ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def project():
    return u.Project([SAMPLE])


def test_load_and_check_are_read_once(project):
    assert project.load() is project.load()
    assert project.check() is project.check()
    assert project.check().errors == [] and project.check().files == len(project.load().files)
    assert project.config.path.endswith("upr-summary.yaml")


def test_a_single_path_a_config_object_and_a_project_file_path(tmp_path):
    one = u.Project(str(SAMPLE))
    assert one.paths == [str(SAMPLE)] and one.config.state == "Republic of Arvenia"
    plain = u.Project([SAMPLE], Config())
    assert plain.config.state is None
    named = u.Project([SAMPLE], ROOT / "data" / "upr-summary.yaml")
    assert named.config.state == "Republic of Arvenia"
    with pytest.raises(u.ConfigError):
        u.Project([SAMPLE], tmp_path / "missing.yaml")


@pytest.mark.parametrize("args", [
    [], ["--by", "type"], ["--cross"], ["--gaps"], ["--codebook", "none"],
])
def test_stats_json_equals_the_library_result(runner, args):
    result = runner.invoke(cli, ["stats", str(SAMPLE), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    options = dict(by="type" if "type" in args else "issue-area", cross="--cross" in args,
                   gaps="--gaps" in args)
    project = u.Project([SAMPLE], codebook="none" if "none" in args else None)
    assert json.loads(result.stdout) == json.loads(json.dumps(project.stats(**options)))


def test_counts_carry_columns_and_totals(project):
    counts = project.counts()
    assert counts.columns[:2] == ["issue_area", "group"] and counts.totals["findings"] == 307
    assert project.counts(cross=True).totals is None


def test_invalid_data_raises_one_exception_with_every_problem(tmp_path):
    bad = u.Project([BAD / "missing-finding.csv"])
    checked = bad.check()  # all problems, no exception
    assert [p.code for p in checked.errors] == ["missing-value"]
    for call in (bad.stats, bad.summary, lambda: bad.build(tmp_path / "out"),
                 lambda: bad.classify(tmp_path / "s.csv")):
        with pytest.raises(InvalidData) as info:
            call()
        assert [p.code for p in info.value.problems] == ["missing-value"]
        assert isinstance(info.value, UprSummaryError) and info.value.exit_code == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.csv").exists()


def test_earlier_recommendations_with_errors_raise_invalid_data(tmp_path):
    recs = tmp_path / "recs.csv"
    recs.write_text("recommendation,recommending_state,response\n,France,supported\n")
    project = u.Project([SAMPLE], recommendations=recs)
    with pytest.raises(InvalidData) as info:
        project.stats()
    assert info.value.problems and all(p.severity == "error" for p in info.value.problems)
    assert str(recs) in str(info.value)


def test_summary_and_build(project, tmp_path):
    summary = project.summary()
    assert summary.totals and summary.counts.read == 307
    result = project.build(tmp_path / "out", "md")
    assert [p.rsplit("/", 1)[-1] for p in result.written] == ["executive-summary.png",
                                                              "executive-summary.md"]
    assert result.template_problems == []
    assert result.problems == project.check().warnings + project.earlier_recommendations().problems


def test_classify_writes_the_working_file_and_refuses_the_report_folder(project, tmp_path):
    result = project.classify(tmp_path / "suggested.csv", mode="keywords")
    assert result.mode == "keywords"
    assert (tmp_path / "suggested.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    out = tmp_path / "out"
    out.mkdir()
    (out / "executive-summary.md").write_text("# a report")
    with pytest.raises(u.UprSummaryError) as info:
        project.classify(out / "s.csv")
    assert info.value.exit_code == 2


def test_codebook_and_theme_counts(project):
    assert project.codebook().name == "ohchr"
    groups = project.theme_counts()
    found = sum(f for _, themes in groups for _, f, _ in themes)
    assert found >= len([f for f in project.load().findings if f.issue_areas])
    with pytest.raises(u.ConfigError):
        u.Project([], codebook="none").theme_counts()
    bare = u.Project([], Config())
    assert all(f == 0 for _, themes in bare.theme_counts() for _, f, _ in themes)


def test_the_cli_has_no_pipeline_of_its_own():
    """cli.py calls the API: it imports neither the loaders, validate, stats, summarize
    nor the renderers (one place stops on errors: Project)."""
    source = (ROOT / "src" / "upr_summary" / "cli.py").read_text(encoding="utf-8")
    for module in ("from .load import", "from .validate import", "from .checks import", "from . import stats",
                   "from .summarize import", "from .render", "from .recommendations import",
                   "from .classify import", "import pandas"):
        assert module not in source, module


@pytest.mark.parametrize("paths", [None, b"data/submissions", 5, [None]])
def test_project_refuses_what_is_not_a_path(paths):
    from upr_summary.errors import UsageError

    with pytest.raises(UsageError, match="give a path"):
        u.Project(paths)
