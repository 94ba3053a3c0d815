"""A Spark standalone cluster on this machine: one master and two workers on 127.0.0.1, started and stopped by PID.

    python benchmarks/spark_cluster.py start [--workers 2] [--cores 1] [--memory 2g] [--port 7177]
    python benchmarks/spark_cluster.py status
    python benchmarks/spark_cluster.py stop

``start`` prints the master URL (``spark://127.0.0.1:PORT``) once every worker has registered; aireport then
runs on it with ``--engine spark --spark-master spark://127.0.0.1:PORT``. The daemons are the ``spark-class``
launcher of the installed pyspark (no separate Spark download), each a process of its own whose PID is kept in
``benchmarks/data/spark-cluster/pids.json``; ``stop`` terminates exactly those. Logs go beside the PID file.
Nothing listens beyond the loopback interface. The executors run on the workers, in JVMs of their own: a real
cluster's data path (driver -> master -> workers -> executors), on one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
STATE = HERE / "data" / "spark-cluster"
PIDS = STATE / "pids.json"


def _spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def _env() -> dict[str, str]:
    import pyspark

    env = dict(os.environ)
    env.setdefault("SPARK_HOME", str(Path(pyspark.__file__).parent))
    env["SPARK_LOCAL_IP"] = "127.0.0.1"
    env["SPARK_MASTER_HOST"] = "127.0.0.1"
    env["PYSPARK_PYTHON"] = sys.executable  # the executors' Python workers use this interpreter
    return env


def _free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _daemon(name: str, args: list[str]) -> int:
    log = (STATE / f"{name}.log").open("wb")
    proc = subprocess.Popen(
        [str(_spark_class()), *args], stdout=log, stderr=subprocess.STDOUT, env=_env(), start_new_session=True
    )
    return proc.pid


def _workers_alive(webui: int) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{webui}/json/", timeout=2) as page:
            state = json.loads(page.read())
    except OSError:
        return 0
    return sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE")


def start(workers: int, cores: int, memory: str, port: int) -> str:
    if PIDS.exists():
        raise SystemExit(f"a cluster is already recorded in {PIDS}: run `stop` first")
    webui = port + 1
    for p in (port, webui):
        if not _free(p):
            raise SystemExit(f"port {p} is in use on 127.0.0.1")
    STATE.mkdir(parents=True, exist_ok=True)
    url = f"spark://127.0.0.1:{port}"
    pids = {
        "master": _daemon(
            "master",
            [
                "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(webui),
            ],
        )
    }  # fmt: skip
    time.sleep(3)
    for i in range(workers):
        pids[f"worker-{i + 1}"] = _daemon(
            f"worker-{i + 1}",
            [
                "org.apache.spark.deploy.worker.Worker", url,
                "--host", "127.0.0.1", "--cores", str(cores), "--memory", memory,
                "--webui-port", str(webui + 1 + i), "--work-dir", str(STATE / f"work-{i + 1}"),
            ],
        )  # fmt: skip
    PIDS.write_text(json.dumps({"url": url, "webui": webui, "pids": pids}, indent=2))
    deadline = time.time() + 90
    while time.time() < deadline:
        if _workers_alive(webui) == workers:
            return url
        time.sleep(1)
    stop()
    raise SystemExit(f"the workers did not register within 90 s; logs in {STATE}")


def stop() -> None:
    if not PIDS.exists():
        print("no cluster recorded")
        return
    state = json.loads(PIDS.read_text())
    for name, pid in sorted(state["pids"].items(), reverse=True):  # workers first, then the master
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        print(f"stopped {name} ({pid})")
    PIDS.unlink()


def status() -> None:
    if not PIDS.exists():
        print("no cluster recorded")
        return
    state = json.loads(PIDS.read_text())
    print(f"{state['url']}: {_workers_alive(state['webui'])} workers alive; pids {state['pids']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("start")
    up.add_argument("--workers", type=int, default=2)
    up.add_argument("--cores", type=int, default=1)
    up.add_argument("--memory", default="2g")
    up.add_argument("--port", type=int, default=7177)
    sub.add_parser("stop")
    sub.add_parser("status")
    args = parser.parse_args()
    if args.command == "start":
        print(start(args.workers, args.cores, args.memory, args.port))
    elif args.command == "stop":
        stop()
    else:
        status()


if __name__ == "__main__":
    main()
