"""What every benchmark script shares: one contender per fresh interpreter, and the machine it ran on.

Each contender runs in its own process so that its peak RSS is its own and no import or cache of one
contender warms another.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def run_child(module: str, function: str, *args: object, timed: bool = False, may_fail: bool = False) -> dict[str, Any]:
    """``module.function(*args)`` in a fresh interpreter; the JSON dict it returns plus ``peak_rss_mb``
    (and ``seconds`` of the call when ``timed``). Paths are passed as text.

    A failing child stops the benchmark with its error output, or with ``may_fail`` (a contender that
    may run out of memory) is returned as ``{"error": <its last error line>}``.
    """
    _compile_bytecode()
    plain = [str(a) if isinstance(a, Path) else a for a in args]
    code = (
        f"import json, resource, sys, time; sys.path.insert(0, {str(HERE)!r}); import {module} as b; "
        f"t = time.perf_counter(); out = b.{function}(*{plain!r}); seconds = time.perf_counter() - t; "
        + ("out['seconds'] = seconds; " if timed else "")
        + "out['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(out))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        if not may_fail:
            raise SystemExit(f"{module}.{function} failed:\n" + "\n".join(lines[-30:]))
        errors = [line for line in lines if "Error" in line] or lines
        return {"error": errors[-1][:160] if errors else f"exit {done.returncode}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _compile_bytecode() -> None:
    """aireport's modules compiled to bytecode, as ``pip install`` leaves them: from a source checkout (an editable
    install) with PYTHONDONTWRITEBYTECODE set, every child would compile them again (0.15 s of each run)."""
    import compileall

    compileall.compile_dir(HERE.parent / "src" / "aireport", quiet=1)


def machine(*packages: str) -> dict[str, Any]:
    """The machine, Python and the versions of ``packages``, for the results file."""
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    for name in packages:
        info[name] = importlib.import_module(name).__version__
    info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    return info
