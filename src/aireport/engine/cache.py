"""The folder ``--cache DIR`` keeps between runs: file digests by stat, and one entry per (file, plan).

**Digests.** Every item file is named by the SHA-256 of its bytes. Hashing every file on every run would cost
what the cache saves, so, as git's index does, ``index.json`` keeps (path, size, mtime_ns) -> digest and a file
is hashed again only when its stat changed. The racy case: a file rewritten within the same timestamp tick
as the hash, with the same size, has the same stat and different bytes. A digest is therefore trusted only if
it was taken at least :data:`RACY_SECONDS` after the file's last modification; a file modified more recently
than that is hashed again on every run until it is older.

**Entries.** ``entries/<file digest>-<plan digest>/`` holds what the scans of one file produce under one
compiled plan (see :mod:`aireport.engine.partials`): ``entry.json`` (the small partials, with the SHA-256 of
its own body and of every other file of the entry) and Parquet files for the large ones (the hosts of a
ranking, the failing items). An entry is built in a temporary folder and renamed into place: a reader sees a
whole entry or none. An entry that does not verify is never trusted: it is removed and its file scanned again.
Its body is verified when it is read, each of its other files just before a run reads that file (a run that
takes an entry's partials from the merged entry below never reads them, and does not pay for hashing them).
The cache's own files are verified as the item files are: a file is hashed again only when its stat changed.
Sealing an entry sets each of its files' mtime :data:`RACY_SECONDS` into the past before hashing it, so that
any later write gives it another mtime (re-hashing the 100M kept item id hashes took 0.3 s of every run that
reads them). ``index.json`` keeps their stats by path inside the folder: a copy of the folder that keeps
mtimes (``cp -a``) keeps them trusted, another copy has every file hashed once.
Entries of files no longer listed stay until the folder is deleted (``du -sh DIR`` says what they cost).

**The merged entry.** ``merged/<plan digest>/`` holds the partials of the last run's files already merged
(the same files as an entry, one row per source or group; a ranking's hosts already mapped to their groups),
and the multiset of entry keys they cover.
A run over those files and more merges it with the new files' entries only; it is replaced by each run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from aireport.errors import InputError, Problem
from aireport.load.files import sha256_file
from aireport.models.run import CacheStats

LOG = logging.getLogger("aireport.cache")
RACY_SECONDS: Final = 2
INDEX = "index.json"
ENTRY = "entry.json"
FORMAT = 3  # of the folder's layout; a change makes every entry a miss (2: item id hashes, located rejected rows;
# 3: a merged entry keeps per-group ranking sums)


@dataclass(frozen=True)
class Entry:
    """A verified entry: its folder and the body of its ``entry.json``."""

    folder: Path
    body: dict[str, Any]

    def path(self, name: str) -> Path:
        return self.folder / name


class ItemCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            (folder / "entries").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError([Problem(str(folder), f"--cache: cannot create the folder: {exc.strerror}")]) from None
        self.stats = CacheStats()
        self._index, self._own = self._read_index()
        self._digests: dict[Path, str] = {}  # of this run: each file is hashed at most once per run

    # --- digests --------------------------------------------------------------------------------------------

    def _read_index(self) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """The stats of the item files (by resolved path) and of the cache's own files (by path in the folder)."""
        try:
            data = json.loads((self.folder / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}, {}
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return {}, {}
        files, own = data.get("files"), data.get("own")
        return (files if isinstance(files, dict) else {}), (own if isinstance(own, dict) else {})

    def digest(self, path: Path, shown: str) -> str:
        """The file's SHA-256, from the index when its stat is unchanged and old enough to trust."""
        if path in self._digests:
            return self._digests[path]
        self._digests[path] = digest = self._digest(path, shown)
        return digest

    def _digest(self, path: Path, shown: str) -> str:
        digest, hashed = _stat_digest(self._index, str(path.resolve()), path)
        if hashed:
            self.stats.hashed.append(shown)
        return digest

    def _own_digest(self, path: Path) -> str:
        """The SHA-256 of one of the cache's own files, from the index when its stat is unchanged."""
        return _stat_digest(self._own, path.relative_to(self.folder).as_posix(), path)[0]

    def save_index(self) -> None:
        body = json.dumps({"format": FORMAT, "files": self._index, "own": self._own}, sort_keys=True).encode()
        with contextlib.suppress(OSError):  # an index that cannot be written costs a re-hash next time
            _write_atomic(self.folder / INDEX, body)

    # --- entries ----------------------------------------------------------------------------------------------

    def _entry_folder(self, file_digest: str, plan: str) -> Path:
        return self.folder / "entries" / f"{file_digest}-{plan}"

    def read(self, file_digest: str, plan: str, shown: str, needs: tuple[str, ...] = ()) -> Entry | None:
        """The verified entry of (file, plan), or None; ``needs`` names optional parts the run must find."""
        folder = self._entry_folder(file_digest, plan)
        if not folder.is_dir():
            return None
        body = self._verified(folder, files=False)
        if body is None or body.get("file") != file_digest or body.get("plan") != plan:
            LOG.warning("cache entry %s does not verify: ignored, %s scanned again", folder.name, shown)
            self.stats.rejected.append(shown)
            self._remove(folder)
            return None
        if any(body.get(part) is None for part in needs):
            return None
        return Entry(folder, body)

    def verify(self, checks: Sequence[tuple[Entry, str, Sequence[str]]]) -> set[Path]:
        """Hash the named files of each (entry, shown name, file names) against the entry's body, two at a time;
        the folders of entries that do not verify, removed (their files are to be scanned again)."""

        def matches(entry: Entry, name: str) -> bool:
            digest = entry.body["files"].get(name)
            try:
                return digest is None or self._own_digest(entry.path(name)) == digest
            except OSError:
                return False

        jobs = [(entry, shown, name) for entry, shown, names in checks for name in names]
        with ThreadPoolExecutor(max_workers=2) as pool:  # hashlib releases the GIL: two files hash at once
            verdicts = list(pool.map(lambda job: matches(job[0], job[2]), jobs))
        bad: set[Path] = set()
        for (entry, shown, _name), ok in zip(jobs, verdicts, strict=True):
            if not ok and entry.folder not in bad:
                LOG.warning("cache entry %s does not verify: ignored, %s scanned again", entry.folder.name, shown)
                self.stats.rejected.append(shown)
                bad.add(entry.folder)
        for folder in bad:
            self._remove(folder)
        return bad

    def read_merged(self, plan: str) -> Entry | None:
        """The verified merged entry of ``plan`` (every file), or None."""
        folder = self.folder / "merged" / plan
        if not folder.is_dir():
            return None
        body = self._verified(folder, files=True)
        if body is None or body.get("plan") != plan or not isinstance(body.get("keys"), list):
            LOG.warning("the merged cache entry %s does not verify: ignored", plan)
            self._remove(folder)
            return None
        return Entry(folder, body)

    def commit_merged(self, staging: Path, plan: str, body: dict[str, Any]) -> Entry:
        """Seal ``staging`` and put it in place of the plan's merged entry (the old one moved aside first: a
        reader sees the old entry, the new one, or none)."""
        body, stats = self._seal(staging, {**body, "plan": plan})
        target = self.folder / "merged" / plan
        target.parent.mkdir(exist_ok=True)
        aside = Path(tempfile.mkdtemp(prefix=".replaced-", dir=self.folder))
        with contextlib.suppress(OSError):
            target.rename(aside / "old")
        try:
            staging.rename(target)
            self._record(target, stats)
        except OSError:  # another run put its merged entry in place meanwhile: ours is not needed
            shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(aside, ignore_errors=True)
        return Entry(target, body)

    def staging(self) -> Path:
        """A new empty folder inside the cache, to build an entry in (same file system: the rename is atomic)."""
        return Path(tempfile.mkdtemp(prefix=".staging-", dir=self.folder))

    def commit(self, staging: Path, file_digest: str, plan: str, body: dict[str, Any]) -> Entry:
        """Seal ``staging`` (the digest of every file in it goes into ``entry.json``) and rename it into place."""
        body, stats = self._seal(staging, {**body, "file": file_digest, "plan": plan})
        target = self._entry_folder(file_digest, plan)
        self._remove(target)  # a rejected or partial entry of the same key
        try:
            staging.rename(target)
            self._record(target, stats)
        except OSError:  # another run put the same entry in place first: theirs is as good as ours
            shutil.rmtree(staging, ignore_errors=True)
        return Entry(target, body)

    @staticmethod
    def _seal(staging: Path, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
        """Write ``entry.json``; the body and, per file, its stat and digest as the index keeps them."""
        stats = {p.name: _aged_digest(p) for p in sorted(staging.iterdir()) if p.name != ENTRY}
        body = {**body, "format": FORMAT, "files": {name: known[2] for name, known in stats.items()}}
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        seal = hashlib.sha256(text.encode()).hexdigest()
        (staging / ENTRY).write_text(json.dumps({"sha256": seal, "body": text}), encoding="utf-8")
        return body, stats

    def _record(self, folder: Path, stats: dict[str, list[Any]]) -> None:
        """The stats of a sealed entry's files, now at their place in ``folder``, into the index."""
        prefix = folder.relative_to(self.folder).as_posix()
        for name, known in stats.items():
            self._own[f"{prefix}/{name}"] = known

    def _remove(self, folder: Path) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        prefix = folder.relative_to(self.folder).as_posix() + "/"
        for key in [k for k in self._own if k.startswith(prefix)]:
            del self._own[key]

    def _verified(self, folder: Path, *, files: bool) -> dict[str, Any] | None:
        """The entry's body when its seal (and with ``files`` every listed file's digest) match; None otherwise."""
        try:
            outer = json.loads((folder / ENTRY).read_text(encoding="utf-8"))
            text = outer["body"]
            if hashlib.sha256(text.encode()).hexdigest() != outer["sha256"]:
                return None
            body = json.loads(text)
            if body.get("format") != FORMAT or not isinstance(body.get("files"), dict):
                return None
            for name, digest in body["files"].items() if files else ():
                if self._own_digest(folder / name) != digest:
                    return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        return body if isinstance(body, dict) else None

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)


def _stat_digest(index: dict[str, list[Any]], key: str, path: Path) -> tuple[str, bool]:
    """The file's SHA-256 and whether it was hashed now: from ``index`` when the file's size and mtime are the ones
    recorded and the digest was taken at least RACY_SECONDS after that mtime (else hashed, and recorded)."""
    stat = path.stat()
    known = index.get(key)
    if (
        isinstance(known, list)
        and len(known) == 4
        and known[0] == stat.st_size
        and known[1] == stat.st_mtime_ns
        and isinstance(known[3], int)
        and known[3] - stat.st_mtime_ns >= RACY_SECONDS * 1_000_000_000
    ):
        return str(known[2]), False
    digest = sha256_file(path)
    # Taken now: trusted on a later run only if the file was then already RACY_SECONDS old.
    index[key] = [stat.st_size, stat.st_mtime_ns, digest, time.time_ns()]
    return digest, True


def _aged_digest(path: Path) -> list[Any]:
    """A file the cache has just written, its mtime set RACY_SECONDS (and one) into the past and then hashed: any
    later write gives it a new mtime, so its digest is trusted from the next run on. As the index keeps it."""
    past = time.time_ns() - (RACY_SECONDS + 1) * 1_000_000_000
    os.utime(path, ns=(past, past))
    before = path.stat()
    digest = sha256_file(path)
    after = path.stat()
    taken = time.time_ns() if (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns) else 0
    return [after.st_size, after.st_mtime_ns, digest, taken]


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
