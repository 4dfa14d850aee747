"""Write files atomically: a temporary file in the same folder, then a rename.

A failing run never leaves a half-written file nor destroys the previous one.

>>> import tempfile, os
>>> folder = tempfile.mkdtemp()
>>> atomic_write_bytes(os.path.join(folder, "a.txt"), b"hello")
>>> open(os.path.join(folder, "a.txt"), "rb").read()
b'hello'
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
