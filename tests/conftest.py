from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "submissions"
SAMPLE_CONFIG = ROOT / "data" / "upr-summary.yaml"
BAD = Path(__file__).resolve().parent / "bad_inputs"
UPR_INFO = ROOT.parent / "shared" / "data" / "upr-info"


def pytest_configure(config) -> None:
    # Python writes the bytecode of what it imports, as on any machine where the README's
    # commands run, also where the environment says not to (PYTHONDONTWRITEBYTECODE, set
    # in the sandbox this project is developed in): else every worker and every Python
    # process a test starts compiles our modules, and pytest rewrites the test modules,
    # anew (about 30 s of the suite's CPU time).
    import os
    import sys

    sys.dont_write_bytecode = False
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    config.addinivalue_line(
        "markers", "page_layout: the test needs LibreOffice to lay out the Word files for the "
        "contents' page numbers, as a build does where LibreOffice is installed")


@pytest.fixture(scope="session", autouse=True)
def _own_cache_key(tmp_path_factory):
    """The key that seals the project cache's entries lives in the user's cache folder
    (``$XDG_CACHE_HOME``): the tests keep theirs in a folder of their own."""
    import os

    from upr_summary import cache

    was = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    cache._secret.cache_clear()
    yield
    if was is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = was
    cache._secret.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _sample_cache_of_their_own(tmp_path_factory):
    """The tests build the sample where it is (``data/``), with a sealing key of their own:
    in the sample's cache folder they would take a coordinator's entries (sealed with the
    coordinator's key) for damaged ones and delete them. Their cache of the sample is kept
    in a folder of their own instead."""
    from upr_summary import project
    from upr_summary.cache import FOLDER_NAME, Cache

    original = project._cache
    sample_cache = (ROOT / "data" / FOLDER_NAME).resolve()
    own = tmp_path_factory.mktemp("sample") / FOLDER_NAME

    def _cache(config, choice):
        made = original(config, choice)
        if made.folder is not None and made.folder.resolve() == sample_cache:
            return Cache(own)
        return made

    project._cache = _cache
    yield
    project._cache = original


@pytest.fixture(scope="session", autouse=True)
def _no_page_layout_by_default():
    """A build lays out each Word file with LibreOffice (about 2 s a file) to put page
    numbers into its contents list. Only the tests marked ``page_layout`` (those that check
    those numbers or the layout's cache) pay for that; in the others, module fixtures
    included, the Word files are the same but for the numbers, which Word's Update Field
    fills in. PDF builds are laid out in every test, since the PDF is that layout."""
    from upr_summary import build

    original = build._with_page_numbers
    build._with_page_numbers = _without_page_numbers
    yield original
    build._with_page_numbers = original


@pytest.fixture(autouse=True)
def _page_layout_where_marked(request, _no_page_layout_by_default, monkeypatch):
    if request.node.get_closest_marker("page_layout") is not None:
        from upr_summary import build

        monkeypatch.setattr(build, "_with_page_numbers", _no_page_layout_by_default)


def _without_page_numbers(docx, *args, **kwargs):
    return docx


def without_libreoffice(env: dict[str, str]) -> dict[str, str]:
    """``env`` for a command run as its own process that is not about the page layout: a
    PATH on which no LibreOffice is found (the command is started by its full path), so
    that it writes its Word files as the tests' in-process builds do."""
    return {**env, "PATH": str(Path(__file__).resolve().parent / "no-programs-here")}


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


def _read_manifests() -> dict[str, dict]:
    """Every case of tests/bad_inputs/: expected.yaml at the top and one per class folder
    (tests/bad_inputs/<class>/expected.yaml, whose keys are relative to that folder).

    A case is a file or a folder. Keys of a case: ``what``, ``exit`` and ``problems``
    (validate's exit code and its [code, row, field] list), optionally ``build_exit``
    (default: ``exit``), ``args`` (extra arguments for validate and build) and
    ``build_args`` (for build only); ``{case}`` and ``{dir}`` in them are replaced by the
    case's path and its folder.
    """
    import yaml

    cases: dict[str, dict] = {}
    for manifest in sorted(BAD.glob("**/expected.yaml")):
        folder = manifest.parent.relative_to(BAD)
        for name, case in yaml.safe_load(manifest.read_text(encoding="utf-8")).items():
            key = name if folder == Path(".") else f"{folder.as_posix()}/{name}"
            cases[key] = case
    return cases


BAD_MANIFEST = _read_manifests()


def case_args(name: str, key: str = "args") -> list[str]:
    """The extra arguments of a bad-input case, with {case} and {dir} filled in."""
    path = BAD / name
    return [a.replace("{case}", str(path)).replace("{dir}", str(path.parent))
            for a in BAD_MANIFEST[name].get(key, [])]
