"""Start-up time of the demo command (`bash infra/demo.sh`) once its dependencies are cached.

Runs the demo several times on a free port, timing from launch until the web server answers /healthz (the
database migrated, the demo boards loaded, the worker and web server started), then stops it. The first run
may install packages; the figure that matters is the runs after it, with everything cached.

    .venv/bin/python benchmarks/demo_startup.py            # 3 runs, about 40 s
    .venv/bin/python benchmarks/demo_startup.py --runs 5
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_run(timeout: float) -> float:
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        ["bash", "infra/demo.sh"],
        cwd=ROOT,
        env={**os.environ, "PORT": str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - started < timeout:
            if process.poll() is not None:
                raise SystemExit(f"infra/demo.sh exited with {process.returncode} before answering")
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise SystemExit(f"The demo did not answer within {timeout} s")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    times = []
    for number in range(1, args.runs + 1):
        seconds = one_run(args.timeout)
        times.append(seconds)
        print(f"run {number}: {seconds:6.2f} s until /healthz answered")
    cached = times[1:] or times
    print(
        f"Demo start-up with dependencies cached: median {statistics.median(cached):.2f} s "
        f"(min {min(cached):.2f}, max {max(cached):.2f}) over {len(cached)} runs"
    )


if __name__ == "__main__":
    main()
