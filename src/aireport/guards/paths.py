"""Confinement: a file read from a stranger's folder (rule pack, templates, catalogues) must really be in it.

A symbolic link inside the folder may point anywhere; following it would put a file of the machine into a
document or an error message. The test is on real paths (every link resolved), so ``..``, links to links and
links to folders are all caught the same way.
"""

from __future__ import annotations

from pathlib import Path


def real_inside(path: Path, root: Path) -> Path | None:
    """The real path of ``path`` if it lies inside the real path of ``root``; None otherwise (or if it
    cannot be resolved, e.g. a dangling link)."""
    try:
        real = path.resolve(strict=True)
        base = root.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a dangling link, or a link loop
        return None
    return real if real == base or real.is_relative_to(base) else None


def leaves(path: Path, root: Path) -> bool:
    """Whether ``path`` exists but leads outside ``root`` (a link out of the folder)."""
    return path.exists() and real_inside(path, root) is None
