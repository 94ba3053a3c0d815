"""Atomic writes: a reader never sees half a file, and a failed run leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from aireport.errors import Problem, RenderError


def write_atomic(path: Path, data: bytes) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise RenderError([Problem(str(folder), f"cannot write here: {exc.strerror or exc}")]) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private; a report is an ordinary file, so honour the umask instead.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise RenderError([Problem(str(path), f"cannot write: {exc.strerror or exc}")]) from None
