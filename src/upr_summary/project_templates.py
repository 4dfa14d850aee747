"""The project's own templates folder: ``init`` copies the shipped templates into it,
``build`` reads it first, and warns when a copy was made from an older shipped template.

Which folder a build reads, the first that applies:

1. ``--templates DIR`` on the command line (``templates=`` of :meth:`Project.build`);
2. ``templates:`` in the project file, taken relative to the project file;
3. ``templates/`` beside the project file, when it exists;
4. none: the templates shipped in the package.

A file in that folder replaces the shipped file of the same name; a file not there falls
back to the shipped one (the loader of :mod:`upr_summary.render.templating` looks in the
folder first, then in the package). A folder named by the project (2 and 3) may not be a
symbolic link, and no templates folder may be the report's output folder.

``init`` also writes :data:`MANIFEST` in the folder: the SHA-256 of each shipped file as it
was copied, one ``<hash>  <name>`` line each (the format of ``sha256sum``). When a newer
upr-summary ships a changed template and the folder still holds a copy of the old one,
``build`` warns (``template-outdated``), naming the file and how to bring it up to date.
A missing manifest means no check (a folder made by hand); an unreadable or garbled one
gives one warning (``template-manifest-unreadable``) and the build goes on.

>>> sorted(f for f in shipped_files() if f.endswith(".j2"))
['compilation.md.j2', 'sentences.j2', 'summary.md.j2']
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .config import Config
from .errors import ConfigError, UsageError
from .i18n import N_
from .limits import MAX_TEMPLATE_MANIFEST_BYTES
from .model import Location, Problem
from .problems import problem
from .render.templating import PACKAGE_TEMPLATES
from .textutil import shorten

#: The folder beside the project file that ``build`` reads when it exists.
FOLDER = "templates"
#: Written by ``init`` in the project's templates folder: what was copied, and its hash.
MANIFEST = "shipped-templates.sha256"
#: Written by ``init`` in the project's templates folder, for the coordinator.
README = "README.txt"

_LINE = re.compile(r"([0-9a-f]{64}) [ *](\S(?:.*\S)?)")
_SKIPPED_DIRS = frozenset({"__pycache__"})

#: The README of a project's templates folder, paragraph by paragraph (each translated
#: and wrapped in the project's language).
README_PARTS = (
    N_("These are the templates upr-summary writes the report with, copied from "
       "upr-summary %(version)s by `upr-summary init`."),
    N_("Edit a file here and the next `upr-summary build` uses your version, in the Word "
       "file and the Markdown alike. A file you delete is taken from upr-summary itself "
       "again, so you may keep only the files you changed. Save your edits as UTF-8 text."),
    N_("- summary.md.j2: the report's structure and headings (a line \"## ...\" is a "
       "heading; the words are inside _(\"...\"))."),
    N_("- sentences.j2: the longer sentences (About this summary, the sentence on earlier "
       "recommendations, the last line that accounts for every finding)."),
    N_("- locale/%(language)s/LC_MESSAGES/messages.po: the words of the report in this "
       "language, one msgid (the English words) and one msgstr (the words printed) per "
       "message. To reword a message without touching the templates, change its msgstr "
       "(an empty msgstr prints the msgid as it is). The other languages are in the "
       "other folders of locale/."),
    N_("Which folder `build` reads: this one, beside upr-summary.yaml; or the folder named "
       "by `templates:` in upr-summary.yaml (relative to that file); `--templates DIR` on "
       "the command line wins over both."),
    N_("%(manifest)s records the version of each file as it was copied. When a newer "
       "upr-summary changes one of them, `build` warns [template-outdated] and names the "
       "file: compare your copy with the new one and carry your edits over. Otherwise "
       "leave %(manifest)s as it is."),
)


def readme_text(language: str = "en") -> str:
    """The templates folder's README in ``language``."""
    import textwrap

    from . import __version__
    from .i18n import messages

    _ = messages(language).gettext
    values = {"version": __version__, "manifest": MANIFEST, "language": language}
    paragraphs = []
    for part in README_PARTS:
        text = _(part) % values
        bullet = text.startswith("- ")
        paragraphs.append("\n".join(textwrap.wrap(text, 80, subsequent_indent="  " if bullet
                                                   else "", break_on_hyphens=False)))
    # the bullets of one list stay together
    out = ""
    for n, paragraph in enumerate(paragraphs):
        joined = n and paragraph.startswith("- ") and paragraphs[n - 1].startswith("- ")
        out += ("\n" if joined else "\n\n" if n else "") + paragraph
    return out + "\n"


def shipped_files() -> list[str]:
    """The shipped templates, as names relative to the package's templates folder
    (``/``-separated, subfolders included), in sorted order."""
    names: list[str] = []
    for folder, dirs, files in os.walk(PACKAGE_TEMPLATES):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
        for name in files:
            path = Path(folder, name)
            if path.is_file() and not path.is_symlink() and not name.endswith(".pyc"):
                names.append(path.relative_to(PACKAGE_TEMPLATES).as_posix())
    return sorted(names)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_targets(folder: str | os.PathLike[str]) -> list[Path]:
    """Every file :func:`copy_shipped` writes into ``folder``."""
    root = Path(folder)
    return [root / name for name in shipped_files()] + [root / README, root / MANIFEST]


def _refuse_links_below(root: Path, folder: Path) -> None:
    """No folder between ``root`` and ``folder`` may be a symbolic link: a copy would be
    written wherever the link leads (outside the project)."""
    for part in [folder, *folder.parents]:
        if part == root or root not in part.parents:
            break
        if part.is_symlink():
            raise ConfigError(f"{part} is a symbolic link: the templates are copied only into "
                              "folders of the project itself. Remove the link and run init "
                              "again.")


def copy_shipped(folder: str | os.PathLike[str], language: str = "en") -> list[Path]:
    """Copy every shipped template into ``folder`` (created if needed), byte for byte,
    with a README and the manifest of what was copied. Returns the files written.
    Existing files are replaced: the caller decides whether that is allowed."""
    from .fileio import atomic_write_bytes

    root = Path(folder)
    written: list[Path] = []
    lines: list[str] = []
    for name in shipped_files():  # every folder checked before anything is written
        _refuse_links_below(root, (root / name).parent)
    for name in shipped_files():
        data = (PACKAGE_TEMPLATES / name).read_bytes()
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, data)
        written.append(target)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}\n")
    readme = readme_text(language)
    atomic_write_bytes(root / README, readme.encode("utf-8"))
    atomic_write_bytes(root / MANIFEST, "".join(lines).encode("utf-8"))
    return written + [root / README, root / MANIFEST]


def find_folder(config: Config, explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The templates folder a build reads (see the module's docstring), or None for the
    shipped templates only. Raises ConfigError when ``templates:`` names a folder that is
    not there, or when the project's folder is a symbolic link."""
    if explicit is not None:
        try:
            there = Path(explicit).is_dir()
        except (OSError, ValueError):
            there = False
        if not there:
            shown = shorten(os.fspath(explicit), 200)
            raise ConfigError(f"--templates: {shown if shown.isprintable() else repr(shown)} "
                              "is not a folder: name the folder of your templates.")
        return Path(explicit)
    if config.templates:
        folder = Path(config.relative(config.templates))
        where = f"{config.path}: templates: " if config.path else "templates: "
        shown = shorten(str(folder), 200)
        if not shown.isprintable():
            shown = repr(shown)
        try:
            linked, there = folder.is_symlink(), folder.is_dir()
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{where}{shown} cannot be used as a folder "
                              f"({getattr(exc, 'strerror', None) or exc}).") from None
        if linked:
            raise ConfigError(f"{where}{shown} is a symbolic link; name the folder itself.")
        if not there:
            raise ConfigError(f"{where}{shown} is not a folder. Name the folder of your "
                              "templates (`upr-summary init` in a new folder makes a copy of "
                              "them), or remove the setting to use the built-in ones.")
        return folder
    if config.path is None:
        return None
    folder = Path(config.path).parent / FOLDER
    try:
        linked, there = folder.is_symlink(), folder.is_dir()
    except OSError:  # the project file was read from this folder: not expected
        return None
    if linked:
        raise ConfigError(f"{folder} is a symbolic link; a project's templates folder must be a "
                          "real folder (or name it with templates: in the project file).")
    return folder if there else None


def refuse_output_folder(templates: Path | None, out_dir: str | os.PathLike[str]) -> None:
    """The report's output folder is published as it is: it may not be the templates
    folder (a report written there would sit among the templates, and a template named
    like an output file would be overwritten)."""
    if templates is None:
        return
    try:
        same = Path(templates).resolve() == Path(out_dir).resolve()
    except OSError:
        return
    if same:
        raise UsageError(f"The output folder {out_dir} is the templates folder: choose another "
                         "folder with -o (for example 'out').")


def outdated(folder: Path | None) -> list[Problem]:
    """Warnings for copies in ``folder`` made from an older shipped template, read from
    the folder's manifest. Never raises: a manifest that cannot be read is one warning."""
    if folder is None:
        return []
    manifest = folder / MANIFEST
    try:
        if not manifest.exists():
            return []
        if not manifest.is_file() or manifest.is_symlink():
            return [_unreadable(manifest, "it is not a plain file")]
        if manifest.stat().st_size > MAX_TEMPLATE_MANIFEST_BYTES:
            return [problem("template-manifest-too-large", Location(str(manifest)),
                            manifest=MANIFEST)]
        text = manifest.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [_unreadable(manifest, str(getattr(exc, "strerror", None) or exc))]
    recorded: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line.strip())
        if match is None:
            return [_unreadable(manifest, f"line {number} is not '<sha256>  <file name>'")]
        recorded[match.group(2)] = match.group(1)
    shipped = set(shipped_files())
    problems = []
    for name, old in sorted(recorded.items()):
        if name not in shipped:
            continue
        copy = folder / name
        try:
            if copy.is_symlink() or not copy.is_file():
                continue  # the loader refuses a link leading outside
            new = _sha256(PACKAGE_TEMPLATES / name)
            if new == old:
                continue
            mine = _sha256(copy)
        except OSError:
            continue  # the loader reports a copy it cannot read
        if mine == new:
            continue  # already brought up to date
        shipped_path = PACKAGE_TEMPLATES / name
        if mine == old:
            how = (f"You have not edited it: delete it to use the new one, or copy "
                   f"{shipped_path} over it.")
        else:
            how = (f"Compare your copy with the new {shipped_path} and carry your edits over; "
                   f"then, in {manifest}, replace the line for {name} with '{new}  {name}' to "
                   "stop this warning.")
        problems.append(problem("template-outdated", Location(str(copy)), name=name, how=how))
    return problems


def _unreadable(manifest: Path, why: str) -> Problem:
    return problem("template-manifest-unreadable", Location(str(manifest)), why=why,
                   manifest=MANIFEST)
