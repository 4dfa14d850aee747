"""Write files so that a failure, a full disk or ``kill -9`` never leaves a mixed or
half-written set.

One file: :func:`atomic_write_bytes` (a temporary file in the same folder, then a rename).

A set of files (the report: Word, Markdown, chart...): :func:`replace_together`, a small
journal in the output folder:

1. every new file is written into ``<folder>/.upr-summary-staging/`` and flushed to disk;
2. a commit marker listing the files is written there: from this moment the new set
   is complete and wins;
3. each staged file is renamed over the old one (same file system, so each rename is one
   step), then the marker, the lock and the staging folder are removed.

:func:`recover` runs at the start of every build, before anything else is written: a
staging folder with the commit marker is rolled forward (its remaining renames are
done); one without the marker is rolled back (deleted). So whenever a build is killed,
the folder holds the complete old set or, at the latest once the next build starts, the
complete new one, and no temporary file of ours. A lock file inside the staging folder
tells a live build (which holds the lock) from the remains of a dead one; only our own
names are ever deleted.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> atomic_write_bytes(os.path.join(folder, "a.txt"), b"hello")
>>> open(os.path.join(folder, "a.txt"), "rb").read()
b'hello'
>>> [p.name for p in replace_together(folder, {"b.md": b"# B", "b.png": b"PNG"})]
['b.md', 'b.png']
>>> sorted(os.listdir(folder))
['a.txt', 'b.md', 'b.png']
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from .errors import OutputError, OutputPathError

STAGING = ".upr-summary-staging"
"""The staging folder's name inside the output folder; output names may not start with
``.upr-summary-``."""
RESERVED_PREFIX = ".upr-summary-"
# Our own names inside the staging folder carry the reserved prefix, so that no output
# name can be mistaken for them.
_MARKER = ".upr-summary-commit"
_MARKER_PARTIAL = ".upr-summary-commit.partial"
_LOCK = ".upr-summary-lock"
_CHUNK = 1 << 20
# Temporary files of atomic_write_bytes (tempfile.mkstemp: 8 random characters), which
# earlier versions also used for the report: ".executive-summary.docx.k3j_9x2a.tmp".
_OLD_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp")

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EACCES: "permission denied (you may not write there, or the file is open in "
                  "another program)",
    errno.EPERM: "the operation is not permitted there",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the name is too long for the file system",
    errno.EISDIR: "a folder is in the way",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOENT: "the folder does not exist (was it removed or unmounted?)",
    errno.EIO: "input/output error (a failing disk, or a network drive that went away?)",
    errno.EMFILE: "too many open files",
    errno.ENOTEMPTY: "a folder that is not empty is in the way",
    errno.EEXIST: "a file is in the way",
    errno.EBUSY: "the file is in use",
    errno.EXDEV: "the output folder spans two file systems",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "your disk quota is used up"
if hasattr(errno, "EFBIG"):
    _REASONS[errno.EFBIG] = "the file is too large for the file system"


def describe_os_error(exc: OSError) -> str:
    """Words for a file-system failure: ``OSError(errno.ENOSPC, ...)`` -> 'the disk is full'.

    >>> describe_os_error(OSError(errno.ENOSPC, "No space left on device"))
    'the disk is full'
    """
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc) or type(exc).__name__)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- checks before anything is written ---------------------------------------------------

def check_targets(folder: str | os.PathLike[str], names: Iterable[str]) -> None:
    """Raise OutputError unless every ``folder/name`` is a regular file or absent and the
    folder is (or can be made) a writable folder. Nothing is written."""
    folder = Path(folder)
    try:
        if _exists(folder):
            if not folder.is_dir():  # a link to a folder is a folder: that is fine
                raise OutputPathError(f"{folder} is a file, not a folder: choose another output "
                                  "folder with -o.")
            for name in names:
                _check_target(folder / name)
            if not os.access(folder, os.W_OK | os.X_OK):
                raise OutputError(f"Cannot write the report to {folder}: you may not write in "
                                  "that folder. Choose another output folder with -o.")
            return
        parent = folder.parent
        while not _exists(parent) and parent != parent.parent:
            parent = parent.parent
        if not parent.is_dir():
            raise OutputPathError(f"Cannot create the output folder {folder}: {parent} is a file, "
                              "not a folder.")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"Cannot create the output folder {folder}: you may not write in "
                              f"{parent}.")
    except OSError as exc:  # e.g. a name too long, or a folder we may not read
        raise OutputError(f"Cannot use the output folder {folder}: "
                          f"{describe_os_error(exc)}.") from None


def _exists(path: Path) -> bool:
    """Whether ``path`` exists; other failures (a name too long...) are raised."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    return True


def _check_target(path: Path) -> None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(f"{path} is a symbolic link: the report is never written through a "
                          "link. Remove the link (or choose another output folder), then build "
                          "again.")
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path} is a folder, where the report's file goes: move or rename "
                          "that folder (or choose another output folder), then build again.")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"{path} is not a regular file (a device, socket or pipe): remove it "
                          "or choose another output folder.")
    if os.name == "nt":  # Windows cannot replace a file another program (Word) holds open
        try:
            os.close(os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0)))
        except OSError as exc:
            raise OutputError(f"Cannot replace {path}: {describe_os_error(exc)}. Close it in "
                              "Word or any other program, then build again.") from None


# --- the journal -------------------------------------------------------------------------

def _try_lock(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False when someone holds it. The
    operating system releases it when the process ends, however it ends."""
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk where the system allows it."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    """Create ``path`` (it must not exist) with ``data``, flushed to disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view[:_CHUNK]):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _plain_name(name: object) -> bool:
    return (isinstance(name, str) and name not in ("", ".", "..") and "/" not in name
            and "\\" not in name and "\x00" not in name
            and not name.casefold().startswith(RESERVED_PREFIX))


def _read_marker(staging: Path) -> list[str] | None:
    """The file names a finished staging lists, or None when it did not finish."""
    try:
        with open(staging / _MARKER, "rb") as handle:
            names = json.loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):  # an unreadable marker: the staging never finished
        return None
    if not isinstance(names, list) or not all(_plain_name(n) for n in names):
        return None
    return names


def _roll_forward(folder: Path, staging: Path, names: list[str]) -> None:
    """Rename every staged file that is still there over its target."""
    for name in names:
        source = staging / name
        if not os.path.lexists(source):
            continue  # moved already, before an interruption
        try:
            os.replace(source, folder / name)
        except OSError as exc:
            if isinstance(exc, IsADirectoryError) or os.path.isdir(folder / name):
                reason = "a folder of that name is in the way: move or rename it"
            else:
                reason = describe_os_error(exc)
            raise OutputError(
                f"Cannot put {folder / name} in place: {reason}. The new report is complete in "
                f"{staging}; fix this and build again, and the build finishes putting it in "
                "place first.") from None
    _fsync_dir(folder)


def _remove_staging(staging: Path, lock_fd: int | None) -> None:
    """Delete the staging folder: our marker and lock, and whatever was staged in it.
    Closes ``lock_fd`` first (Windows cannot delete an open file)."""
    if lock_fd is not None:
        os.close(lock_fd)
    for entry in sorted(os.listdir(staging)):
        path = staging / entry
        if entry in (_MARKER, _MARKER_PARTIAL):
            os.unlink(path)  # the marker goes first: without it the rest is a roll back
    for entry in sorted(os.listdir(staging)):
        path = staging / entry
        if not os.path.isdir(path) or os.path.islink(path):
            os.unlink(path)
    try:
        os.rmdir(staging)
    except OSError as exc:
        raise OutputError(f"Cannot remove {staging} ({describe_os_error(exc)}): something "
                          "other than our own files is in it. Remove that folder, then build "
                          "again.") from None


def _open_lock(staging: Path) -> int:
    fd = os.open(staging / _LOCK, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    if not _try_lock(fd):
        os.close(fd)
        raise OutputError(f"Another upr-summary build is writing into {staging.parent} right "
                          "now: wait for it to finish, then build again.")
    return fd


def recover(folder: str | os.PathLike[str], names: Iterable[str] = ()) -> str | None:
    """Finish or undo an interrupted build in ``folder`` and remove our stale temporary
    files (those of the output ``names`` too, as earlier versions left them). Returns what
    was done ('rolled forward' / 'rolled back') or None. Raises OutputError when another
    build holds the folder or the files cannot be put right."""
    folder = Path(folder)
    staging = folder / STAGING
    done = None
    try:
        if not _exists(folder) or not folder.is_dir():
            return None
    except OSError as exc:
        raise OutputError(f"Cannot use the output folder {folder}: {describe_os_error(exc)}."
                          ) from None
    try:
        if os.path.lexists(staging):
            if os.path.islink(staging) or not staging.is_dir():
                raise OutputError(f"{staging} is in the way (the name is reserved for "
                                  "upr-summary's own staging folder): remove it, then build "
                                  "again.")
            lock_fd = _open_lock(staging)
            try:
                names_to_move = _read_marker(staging)
                if names_to_move is not None:
                    _roll_forward(folder, staging, names_to_move)
                    done = "rolled forward"
                else:
                    done = "rolled back"
            except BaseException:
                os.close(lock_fd)
                raise
            _remove_staging(staging, lock_fd)  # closes the lock
            _fsync_dir(folder)
        ours = set(names)
        for entry in sorted(os.listdir(folder)):
            match = _OLD_TEMPORARY.fullmatch(entry)
            if match and match["name"] in ours and os.path.isfile(folder / entry) \
                    and not os.path.islink(folder / entry):
                os.unlink(folder / entry)
                done = done or "removed temporary files"
    except OSError as exc:
        raise OutputError(f"Cannot check {folder} for the remains of an interrupted build: "
                          f"{describe_os_error(exc)}. Nothing else was changed.") from None
    return done


def replace_together(folder: str | os.PathLike[str], files: Mapping[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``folder``, replacing the old ones all together
    or not at all (see the module's docstring). Returns the paths written.

    On a failure before the first rename (a full disk, a read-only disk...), the old files
    are as they were and nothing of ours is left; OutputError says why.
    """
    folder = Path(folder)
    names = list(files)
    if not all(_plain_name(n) for n in names):
        raise OutputError(f"Not a plain file name among {names!r}.")
    check_targets(folder, names)
    recover(folder, names)
    created = not os.path.lexists(folder)
    staging = folder / STAGING
    try:
        if created:
            os.makedirs(folder, exist_ok=True)
        os.mkdir(staging)
    except FileExistsError:
        raise OutputError(f"Another upr-summary build is writing into {folder} right now: "
                          "wait for it to finish, then build again.") from None
    except OSError as exc:
        _undo(folder, staging, None, created)
        raise OutputError(f"Cannot write the report to {folder}: {describe_os_error(exc)}. "
                          "Nothing was replaced: the earlier report is as it was.") from None
    lock_fd = None
    try:
        lock_fd = _open_lock(staging)
        for name, data in files.items():
            _write_file(staging / name, data)
        _write_file(staging / _MARKER_PARTIAL, json.dumps(names).encode("utf-8"))
        _fsync_dir(staging)
        os.replace(staging / _MARKER_PARTIAL, staging / _MARKER)  # the set is complete
        _fsync_dir(staging)
    except OSError as exc:
        _undo(folder, staging, lock_fd, created)
        raise OutputError(f"Cannot write the report to {folder}: {describe_os_error(exc)}. "
                          "Nothing was replaced: the earlier report is as it was.") from None
    except BaseException:
        _undo(folder, staging, lock_fd, created)
        raise
    assert lock_fd is not None
    try:
        _roll_forward(folder, staging, names)
    except BaseException:
        os.close(lock_fd)
        raise
    try:
        _remove_staging(staging, lock_fd)  # closes the lock
        _fsync_dir(folder)
    except OSError as exc:
        raise OutputError(f"The new report is in place in {folder}, but tidying up failed: "
                          f"{describe_os_error(exc)}. The next build removes what is left."
                          ) from None
    return [folder / name for name in names]


def _undo(folder: Path, staging: Path, lock_fd: int | None, created: bool) -> None:
    """Roll back a staging that did not finish; best effort (the next build finishes it)."""
    try:
        if os.path.isdir(staging):
            _remove_staging(staging, lock_fd)
        elif lock_fd is not None:
            os.close(lock_fd)
        if created:
            os.rmdir(folder)
    except (OSError, OutputError):
        pass


#: The first line of upr-summary's working CSV files: what tells them from submissions.
WORKING_FILE_MARKS = {"suggested_issue_area,confidence,reason,source": "classify's suggestions",
                      "left out by upr-summary": "the findings a build left out"}
EXCLUDED_MARK = "left out by upr-summary"


def working_mark(path: str | os.PathLike[str]) -> str | None:
    """The mark of :data:`WORKING_FILE_MARKS` that the first line of ``path`` carries, if
    it is one of our working CSV files."""
    if Path(path).suffix.lower() not in (".csv", ".tsv", ".txt"):
        return None
    try:
        with open(path, "rb") as handle:
            first = handle.readline(4096).decode("utf-8", errors="replace")
    except OSError:
        return None
    return next((mark for mark in WORKING_FILE_MARKS if mark in first), None)
