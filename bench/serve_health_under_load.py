#!/usr/bin/env python3
"""How long `telpolicy serve` takes to answer /healthz while clients keep it busy with heavy requests.

wrk posts a 10,000-number US port-in request on 32 connections (the load the attack found delaying
/healthz to 4.3 s, beyond Kubernetes' 2 s probe timeout), while this script asks GET /healthz every
50 ms on a new connection each time, as the kubelet does, and records how long each answer took.
The same build idle (the probes alone) is measured in alternation with it (A B A B ...), and the
ratios are of the same run; with --baseline BINARY, another build (one whose evaluations ran on the
I/O threads, say) under the same load too.

  bench/serve_health_under_load.py [--binary build-release/bin/telpolicy] [--baseline OLD] [--rounds 3]
"""
import argparse
import http.client
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from serve_process import start_server

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "tests" / "scaleout" / "wrk-post.lua"


def heavy_request(numbers):
    listed = [f"+1202555{i:04d}" for i in range(numbers)]
    return json.dumps({"country": "US", "action": "port_in", "number_type": "user", "numbers": listed}) + "\n"


def probe_latencies(port, stop, latencies, failures):
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/healthz")
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                failures.append(response.status)
        except OSError as error:
            failures.append(str(error))
        latencies.append((time.perf_counter() - started) * 1000.0)
        stop.wait(0.05)


def one_run(binary, threads, port_args, duration, connections, request_file, loaded):
    process, port = start_server(binary, threads, port_args, "serve_health_under_load")
    try:
        stop = threading.Event()
        latencies, failures = [], []
        prober = threading.Thread(target=probe_latencies, args=(port, stop, latencies, failures))
        if not loaded:
            prober.start()
            time.sleep(duration - 1.0)
            stop.set()
            prober.join()
            return latencies, failures, 0.0
        load = subprocess.Popen(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "-s", str(LUA),
                                 f"http://127.0.0.1:{port}/v1/decisions", "--", request_file],
                                env={**os.environ, "WRK_CHECK": "0"}, stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)  # the load first, then the probes
        prober.start()
        output = load.communicate()[0]
        stop.set()
        prober.join()
        rate = float(next(line.split()[1] for line in output.splitlines() if line.startswith("Requests/sec:")))
        return latencies, failures, rate
    finally:
        process.terminate()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=str(ROOT / "build-release" / "bin" / "telpolicy"))
    parser.add_argument("--baseline", help="another telpolicy binary, measured in alternation")
    parser.add_argument("--threads", type=int, default=2, help="I/O threads (and evaluation threads)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--numbers", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per run")
    args = parser.parse_args()

    evaluation = ["--eval-threads", str(args.threads)]
    builds = [("this build, idle", args.binary, evaluation, False), ("this build, under load", args.binary, evaluation, True)]
    if args.baseline:
        builds.append(("baseline, under load", args.baseline, [], True))
    with tempfile.TemporaryDirectory(prefix="telpolicy-bench-") as scratch:
        request_file = os.path.join(scratch, "heavy.json")
        Path(request_file).write_text(heavy_request(args.numbers))
        results = {name: ([], [], []) for name, _, _, _ in builds}
        for _ in range(args.rounds):
            for name, binary, extra, loaded in builds:
                latencies, failures, rate = one_run(binary, args.threads, extra, args.duration, args.connections,
                                                    request_file, loaded)
                results[name][0].extend(latencies)
                results[name][1].extend(failures)
                results[name][2].append(rate)
                time.sleep(0.5)
    print(f"{args.connections} connections posting {args.numbers}-number requests; /healthz every 50 ms, "
          f"{args.rounds} runs of {args.duration} s each")
    print("| build | probes | /healthz p50 | p99 | max | p99 / idle p99 | over 50 ms | failed | heavy requests/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    idle_p99 = None
    for name, _, _, _ in builds:
        latencies, failures, rates = results[name]
        ordered = sorted(latencies)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        idle_p99 = idle_p99 or p99
        over = sum(1 for latency in ordered if latency > 50.0)
        print(f"| {name} | {len(ordered)} | {statistics.median(ordered):.2f} ms | {p99:.2f} ms | {ordered[-1]:.2f} ms "
              f"| {p99 / idle_p99:.1f} | {over} | {len(failures)} | {statistics.median(rates):.1f} |")


if __name__ == "__main__":
    main()
