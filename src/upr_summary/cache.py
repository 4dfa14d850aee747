"""The project cache: what a build can reuse from the last one, so that a rebuild after one
member's correction does only the work that correction asks for.

The cache is a folder, by default ``.upr-summary-cache`` beside the project file (no
project file: no cache, unless ``--cache DIR`` names one). It holds, per kind of work,
one entry per result:

- ``records``: the rows read from one submissions file (its findings, with their contact
  e-mails and confidentiality flags, exactly as the loader read them) and the problems met;
- ``words``: the embedding model's token ids of the words the findings use (so that only
  a new word is tokenized; the vectors are read from the model's file);
- ``pages``: the page of each heading of a Word file as LibreOffice lays it out, and the PDF.

An entry is found by a key made of everything that changes its result (the file's bytes,
the settings of the project file that the reader uses, the model, the tool's version...),
hashed. Its file holds that key again, the tool's version and a seal of its content (an
HMAC under a key of this user's own, kept outside the project: see :func:`_secret`): an
entry that does not match on each (written by another version, truncated, edited by hand
or by anyone who cannot read that key, copied from another machine, or a key's hash
collision) is ignored and deleted, never trusted. Entries are opened without following
links or waiting on named pipes, and a link in place of a kind's folder is neither read,
written nor swept. Whatever goes wrong
with the cache (a full disk, a folder deleted mid-build, no permission), the build goes on
without it: the cache only ever saves time.

The cache holds private data as the submissions files do, so it is treated like them: the
folder and its files are readable by their owner only, it is never inside the report's
output folder, and after a build every entry that build did not use is deleted (the entries
of a file that changed or went, a finding's words that are no longer in any finding), so
nothing in it outlives the data it came from. The loader never reads it as input: the
folder holds a ``CACHEDIR.TAG`` (the standard mark that backup tools also honour) and any
folder with our tag is skipped. Delete it at any time.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import hmac
import json
import os
import stat
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from . import __version__

#: The default folder's name, beside the project file.
FOLDER_NAME = ".upr-summary-cache"
#: The mark of a cache folder (https://bford.info/cachedir/), with our name in its comment.
TAG_NAME = "CACHEDIR.TAG"
TAG_TEXT = ("Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This folder is upr-summary's cache. It holds copies of private data: keep it\n"
            "# as you keep the submissions. Delete it at any time.\n")
#: The layout of the entries; a change makes every older entry a miss.
SCHEMA = 3
#: An entry larger than this is not read (a damaged or planted file): the largest of ours
#: are the rows of a file of 100,000 findings (about 60 MB) and a long compilation's PDF.
MAX_ENTRY_BYTES = 256 << 20


def is_cache_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder marked as upr-summary's cache (the loader skips it)."""
    try:
        with open(os.path.join(path, TAG_NAME), "rb") as stream:
            head = stream.read(200)
    except OSError:
        return False
    return head.startswith(TAG_TEXT[:44].encode()) and b"upr-summary" in head


def digest(*parts: object) -> str:
    """The SHA-256 of ``parts`` written as JSON (text, numbers, lists, None)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Cache:
    """One build's view of the cache folder: ``get`` and ``put`` entries by kind and key;
    ``misses`` and ``hits`` count, per kind, what had to be done again and what was reused
    (what the tests count instead of timing); ``sweep`` deletes what this build did not use.

    ``Cache(None)`` is no cache at all: every ``get`` misses, ``put`` keeps nothing."""

    def __init__(self, folder: str | os.PathLike[str] | None) -> None:
        self.folder = None if folder is None else Path(folder)
        self.hits: Counter[str] = Counter()
        self.misses: Counter[str] = Counter()
        self.used: dict[str, set[str]] = {}
        self.broken = 0  # entries found damaged or stale and deleted
        self._ready = False
        self.failed: str | None = None  # why the cache could not be written, if it could not

    def __bool__(self) -> bool:
        return self.folder is not None

    # --- the folder -------------------------------------------------------------------

    def _prepare(self) -> bool:
        """Create the folder (owner only) and its tag, once; False when that fails."""
        if self.folder is None or self.failed is not None:
            return False
        if self._ready:
            return True
        try:
            if self.folder.is_symlink():
                raise OSError(f"{self.folder} is a link; the cache is not written through it")
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            tag = self.folder / TAG_NAME
            if not tag.exists():
                if any(self.folder.iterdir()):
                    raise OSError(f"{self.folder} holds other files and is not a cache folder")
                _write(tag, TAG_TEXT.encode())
            elif not is_cache_folder(self.folder):
                raise OSError(f"{self.folder} is not upr-summary's cache folder")
            with contextlib.suppress(OSError):
                os.chmod(self.folder, 0o700)
        except OSError as exc:
            self.failed = str(exc.strerror or exc) if isinstance(exc.strerror, str) else str(exc)
            return False
        self._ready = True
        return True

    def _path(self, kind: str, key: str, suffix: str = ".json") -> Path:
        assert self.folder is not None
        return self.folder / kind / (hashlib.sha256(key.encode()).hexdigest()[:40] + suffix)

    def _usable(self) -> bool:
        return self.folder is not None and is_cache_folder(self.folder) \
            and not self.folder.is_symlink()

    # --- entries ----------------------------------------------------------------------

    def get(self, kind: str, key: str) -> Any | None:
        """The value stored under ``key``, or None (a miss: absent, stale or damaged)."""
        value = self._read(kind, key)
        if value is None:
            self.misses[kind] += 1
        else:
            self.hits[kind] += 1
        return value

    def _read(self, kind: str, key: str) -> Any | None:
        if not self._usable():
            return None
        path = self._path(kind, key)
        self.used.setdefault(kind, set()).add(path.name)
        if not self._kind_folder(kind):
            return None
        try:
            data = _read_entry(path)
        except OSError:
            return None
        try:
            if data is None:
                raise ValueError("not an entry of ours")
            # The seal is checked on the bytes, before the value is parsed: a planted entry
            # costs its reading, never the memory of parsing it.
            line, _, body = data.partition(b"\n")
            if len(line) > 4096:
                raise ValueError("not an entry of ours")
            head = json.loads(line)
            if (not isinstance(head, dict) or head.get("upr-summary") != code_identity()
                    or head.get("schema") != SCHEMA or head.get("key") != key
                    or not hmac.compare_digest(str(head.get("seal")), _checksum(key, body))):
                raise ValueError("stale")
            return json.loads(body)
        except (ValueError, KeyError, TypeError, RecursionError):
            self.broken += 1
            with contextlib.suppress(OSError):
                path.unlink()
            return None

    def _kind_folder(self, kind: str, make: bool = False) -> bool:
        """Whether the folder of ``kind`` is a real folder inside the cache (made when asked):
        never a link, which would have entries read from, written to and swept in another
        folder."""
        assert self.folder is not None
        folder = self.folder / kind
        try:
            if make and not folder.exists() and not folder.is_symlink():
                folder.mkdir(mode=0o700)
            info = os.lstat(folder)
        except OSError:
            return False
        return stat.S_ISDIR(info.st_mode)

    def put(self, kind: str, key: str, value: Any) -> None:
        """Store ``value`` (anything JSON can hold) under ``key``; a failure is remembered
        in ``failed`` and otherwise ignored."""
        if not self._prepare():
            return
        path = self._path(kind, key)
        self.used.setdefault(kind, set()).add(path.name)
        try:
            body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            head = {"upr-summary": code_identity(), "schema": SCHEMA, "key": key,
                    "seal": _checksum(key, body)}
            if not self._kind_folder(kind, make=True):
                raise OSError(f"{self.folder / kind} is not a folder of the cache")
            _write(path, json.dumps(head, separators=(",", ":")).encode("utf-8") + b"\n" + body)
        except (OSError, ValueError) as exc:
            self.failed = str(getattr(exc, "strerror", None) or exc)

    def keep(self, kind: str, key: str, value: Any) -> None:
        """An entry this process already holds in memory: kept by the sweep, and written
        where it is missing (``value`` is called only then), so that the next run finds
        it. It counts as neither a hit nor a miss."""
        if self.folder is None:
            return
        path = self._path(kind, key)
        self.used.setdefault(kind, set()).add(path.name)
        if not self._present(kind, path):
            self.put(kind, key, value())

    def _present(self, kind: str, path: Path) -> bool:
        """Whether an entry's file is there (a regular file, in a real folder of ours)."""
        try:
            return self._usable() and self._kind_folder(kind) \
                and stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            return False

    def get_bytes(self, kind: str, key: str) -> bytes | None:
        """Bytes stored by :meth:`put_bytes` (a PDF, an array's buffer), or None."""
        meta = self._read(kind, key)
        data = None
        if isinstance(meta, dict) and isinstance(meta.get("sha256"), str):
            path = self._path(kind, key, ".bin")
            self.used.setdefault(kind, set()).add(path.name)
            try:
                data = _read_entry(path)
            except OSError:
                data = None
            if data is not None and hashlib.sha256(data).hexdigest() != meta["sha256"]:
                self.broken += 1
                data = None
                with contextlib.suppress(OSError):
                    path.unlink()
        if data is None:
            self.misses[kind] += 1
        else:
            self.hits[kind] += 1
        return data

    def keep_bytes(self, kind: str, key: str, data: bytes) -> None:
        """:meth:`keep` for bytes: kept by the sweep, and written where missing."""
        if self.folder is None:
            return
        path = self._path(kind, key, ".bin")
        self.used.setdefault(kind, set()).update((path.name, self._path(kind, key).name))
        if not self._present(kind, path):
            self.put_bytes(kind, key, data)

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        if not self._prepare():
            return
        path = self._path(kind, key, ".bin")
        self.used.setdefault(kind, set()).add(path.name)
        try:
            if not self._kind_folder(kind, make=True):
                raise OSError(f"{self.folder / kind} is not a folder of the cache")
            _write(path, data)
        except OSError as exc:
            self.failed = str(exc.strerror or exc)
            return
        self.put(kind, key, {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

    def sweep(self, *kinds: str) -> None:
        """Delete the entries of ``kinds`` (default: every kind this build used) that this
        build did not use itself: what is left belongs to the data as it is now."""
        if not self._usable():
            return
        assert self.folder is not None
        for kind in kinds or tuple(self.used):
            names = self.used.get(kind, set())
            folder = self.folder / kind
            if not self._kind_folder(kind):  # a link: never swept (it leads elsewhere)
                continue
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name not in names:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def summary(self) -> str:
        """One line for the terminal: what was reused."""
        kinds = sorted(set(self.hits) | set(self.misses))
        parts = [f"{kind} {self.hits[kind]} reused, {self.misses[kind]} new" for kind in kinds]
        return "; ".join(parts) or "nothing"


def _checksum(key: str, body: bytes) -> str:
    """The entry's seal: an HMAC-SHA-256 of the schema, the code that made it, its key and
    its value's bytes, under this user's own key (see :func:`_secret`), so that an entry
    edited by anyone else, with its seal recomputed, copied from another machine, or put
    in the place of another (an older entry given the key of the file as it is now) is not
    trusted."""
    head = json.dumps([SCHEMA, code_identity(), key], separators=(",", ":"))
    return hmac.new(_secret(), head.encode("utf-8") + b"\n" + body, hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=8)
def package_version(name: str) -> str:
    """The installed version of a package whose output an entry holds ("" when absent)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


@functools.lru_cache(maxsize=1)
def code_identity() -> str:
    """The tool's version and a digest of its code (every module of the package): entries
    made by other code (an update, a fix pulled into a copy of the source, whose version
    number may be the same) are stale."""
    package = Path(__file__).resolve().parent
    digest_ = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        digest_.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        try:
            digest_.update(path.read_bytes())
        except OSError:
            digest_.update(b"unreadable")
        digest_.update(b"\0")
    return f"{__version__}+{digest_.hexdigest()[:16]}"


@functools.lru_cache(maxsize=1)
def _secret() -> bytes:
    """This user's key for sealing cache entries: 32 random bytes in
    ``$XDG_CACHE_HOME/upr-summary/cache.key`` (default ``~/.cache``), owner-only, made on
    first use. Where it cannot be kept, a key for this process only: the cache then
    serves within one run and a later run finds nothing it trusts."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "upr-summary" / "cache.key"
    try:
        try:
            data = _read_entry(path)
        except FileNotFoundError:
            data = None
        if data is not None and len(data) == 32:
            return data
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = os.urandom(32)
        _write(path, key)
        return key
    except OSError:
        return os.urandom(32)


def _read_entry(path: Path) -> bytes | None:
    """The bytes of a regular file (see :func:`_bounded_read`), opened without following a
    link and without waiting on a named pipe; None for anything else. Raises OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # a link
            return None
        raise
    with os.fdopen(fd, "rb") as stream:
        return _bounded_read(stream)


def _bounded_read(stream: Any) -> bytes | None:
    """The bytes of an open regular file of at most :data:`MAX_ENTRY_BYTES`, read as its
    size says (``read(n)`` sets aside ``n`` bytes first: never the limit itself), or None
    where it is not a regular file, is too large, or grew while read."""
    if not _regular(stream):
        return None
    size = os.fstat(stream.fileno()).st_size
    if size > MAX_ENTRY_BYTES:
        return None
    data = stream.read(size + 1)
    return data if len(data) <= size else None


def _regular(stream: Any) -> bool:
    return stat.S_ISREG(os.fstat(stream.fileno()).st_mode)


def _write(path: Path, data: bytes) -> None:
    """Written whole or not at all (a temporary file beside it, then renamed), owner only."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


NO_CACHE = Cache(None)
