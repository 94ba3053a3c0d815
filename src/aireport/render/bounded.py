"""Work that a stranger's template controls, run where it cannot hang or exhaust the run: a forked child
process with a deadline and a memory ceiling.

Jinja's sandbox stops a template from reaching Python, but not from looping: ``range`` is capped at
100,000 items per call, and two nested loops are ten billion iterations; a filter such as ``center(10**9)``
allocates a gigabyte in one call. Neither can be interrupted from inside the interpreter, so the render runs
in a child (``fork``: nothing is imported or pickled again) that is killed at the deadline; its address space
may grow by :data:`MEMORY_BYTES` at most. Where ``fork`` does not exist the work runs in-process, unbounded.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

from aireport.errors import AireportError, Problem, RenderError

T = TypeVar("T")

MEMORY_BYTES = 1 << 30
"""What a render may allocate beyond what the process already holds (1 GiB)."""


def _vm_size() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _child(work: Callable[[], Any], sender: Connection) -> None:
    size = _vm_size()
    if size is not None:
        with contextlib.suppress(ValueError, OSError):  # a stricter limit is already in place
            resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_BYTES, resource.RLIM_INFINITY))
    try:
        message: tuple[str, Any] = ("ok", work())
    except AireportError as exc:
        message = ("problems", list(exc.problems))
    except MemoryError:
        message = ("memory", None)
    sender.send(message)
    sender.close()


def run_bounded(work: Callable[[], T], seconds: float, where: str) -> T:
    """``work()`` in a forked child: its result, or a RenderError naming ``where`` and the bound it broke.

    An AireportError raised by ``work`` reaches the caller with its problems; anything else it raises is
    the caller's to turn into an AireportError inside ``work``.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(work, sender), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise RenderError(
                [Problem(where, f"rendering took longer than {seconds:g} s (the time limit); the template runs away")]
            )
        try:
            kind, value = receiver.recv()
        except EOFError:  # the child died without a word: the kernel killed it
            raise RenderError(
                [Problem(where, f"rendering stopped: it needed more than {MEMORY_BYTES >> 20} MiB (the memory limit)")]
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "problems":
        raise RenderError(value)
    if kind == "memory":
        raise RenderError([Problem(where, f"rendering needed more than {MEMORY_BYTES >> 20} MiB (the memory limit)")])
    result: T = value
    return result
