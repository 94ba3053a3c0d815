"""Atomic writes: a reader never sees half a file, and a failed run leaves nothing behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
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


def write_all_atomic(folder: Path, files: Mapping[str, bytes]) -> list[Path]:
    """Write several files into ``folder``, all or nothing as far as the file system allows.

    Every file is first written to a hidden temporary file beside its target; only when all of them are
    written are they renamed into place. A failure before that removes every temporary file and leaves the
    folder as it was. Returns the paths written, in the order given.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError([Problem(str(folder), f"cannot create the output folder: {exc.strerror or exc}")]) from None
    blocked = [name for name in files if (folder / name).is_dir()]
    if blocked:  # the one rename failure that can be foreseen: check before anything is written
        raise RenderError([Problem(str(folder / name), "cannot write: a folder is in the way") for name in blocked])
    umask = os.umask(0)
    os.umask(umask)
    staged: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
            staged.append((tmp, folder / name))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o666 & ~umask)
        for tmp, target in staged:
            os.replace(tmp, target)
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        where = exc.filename or folder
        raise RenderError([Problem(str(where), f"cannot write: {exc.strerror or exc}")]) from None
    return [target for _, target in staged]
