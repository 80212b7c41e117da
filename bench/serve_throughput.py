#!/usr/bin/env python3
"""Decisions a second of `telpolicy serve` on loopback, measured with wrk (Debian), with keep-alive.

Runs configurations in alternation (A B A B ...) so that a machine whose load changes affects each
alike, and prints for each its median requests a second, p50 and p99 latency, and its ratio to the
first configuration of the same requests. It compares the service without and with its decision
log, on a US request without numbers and on tests/scaleout/wrk-post.lua's mix (half of which list
numbers); and, on batches of 200 requests (more log lines than the log's writer keeps up with),
--decision-log-full drop against block: what a log that misses nothing costs, and how many lines
drop loses (telpolicy_decision_log_dropped_total, read before the server stops).

  bench/serve_throughput.py [--binary build/bin/telpolicy] [--rounds 3] [--duration 8]
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from serve_process import start_server

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "tests" / "scaleout" / "wrk-post.lua"
NO_NUMBERS = '{"country":"US","action":"port_in","number_type":"user","locale":"en-US"}\n'


def to_ms(text):
    """wrk's durations: 812.00us, 1.02ms, 1.10s."""
    for unit, scale in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * scale
    raise ValueError(f"not a wrk duration: {text}")


def run_wrk(port, duration, connections, request_file, path):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(LUA),
               f"http://127.0.0.1:{port}{path}"]
    if request_file:
        command += ["--", request_file]
    output = subprocess.run(command, env={**os.environ, "WRK_CHECK": "0"}, capture_output=True, text=True,
                            check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    # The "Latency Distribution" lines: "     99%    1.02ms" (not the +/- Stdev column's "99.00%").
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)$", output, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)$", output, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", output)
    return rate, p50, p99, errors.group(0) if errors else "", dropped_lines(port)


def dropped_lines(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/metrics")
    metrics = connection.getresponse().read().decode()
    connection.close()
    found = re.search(r"^telpolicy_decision_log_dropped_total (\S+)$", metrics, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build" / "bin" / "telpolicy"))
    parser.add_argument("--threads", type=int, default=2, help="server threads")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="telpolicy-bench-") as scratch:
        request_file = os.path.join(scratch, "no-numbers.json")
        Path(request_file).write_text(NO_NUMBERS)
        batch_file = os.path.join(scratch, "batch.json")
        Path(batch_file).write_text(json.dumps([json.loads(NO_NUMBERS)] * 200) + "\n")
        log_file = os.path.join(scratch, "decisions.jsonl")
        logged = ["--decision-log", log_file]
        batch = "/v1/decisions/batch"
        configurations = [
            ("no numbers, no decision log", [], request_file, "/v1/decisions"),
            ("no numbers, decision log", logged, request_file, "/v1/decisions"),
            ("mix, no decision log", [], None, "/v1/decisions"),
            ("mix, decision log", logged, None, "/v1/decisions"),
            ("batches of 200, decision log, drop", [*logged, "--decision-log-full", "drop"], batch_file, batch),
            ("batches of 200, decision log, block", [*logged, "--decision-log-full", "block"], batch_file, batch),
        ]
        results = {name: [] for name, _, _, _ in configurations}
        for round_number in range(args.rounds):
            for name, extra, requests, path in configurations:
                process, port = start_server(args.binary, args.threads, extra, "serve_throughput")
                try:
                    results[name].append(run_wrk(port, args.duration, args.connections, requests, path))
                finally:
                    process.terminate()
                    process.wait()
                if os.path.exists(log_file):
                    os.remove(log_file)
                time.sleep(0.5)
        print(f"| configuration | requests/s (median of {args.rounds}) | p50 | p99 | ratio | log lines dropped "
              f"| errors |")
        print("|---|---|---|---|---|---|---|")
        baselines = {}
        for name, _, requests, _ in configurations:
            runs = results[name]
            rate = statistics.median(r[0] for r in runs)
            p50 = statistics.median(r[1] for r in runs)
            p99 = statistics.median(r[2] for r in runs)
            baseline = baselines.setdefault(requests, rate)
            errors = "; ".join(r[3] for r in runs if r[3]) or "none"
            dropped = statistics.median(r[4] for r in runs)
            print(f"| {name} | {rate:,.0f} | {p50:.2f} ms | {p99:.2f} ms | {rate / baseline:.3f} | {dropped:,.0f} "
                  f"| {errors} |")


if __name__ == "__main__":
    main()
