#!/usr/bin/env python3
"""Replay against eval --batch on the same requests (issue 18: "a log of 10 million lines replays at
no less than half the speed of eval --batch on the same requests").

    bench/replay_vs_batch.py build/bin/telpolicy [--requests 1000000] [--runs 5]

Makes the requests with bench/make_requests.py (valid lines only: the service's batch endpoint takes
a JSON array), sends them through `telpolicy serve --decision-log FILE --decision-log-full block` in
batches of 1000, so that the log is the service's own, then times, alternately on one core with
hyperfine, `eval --batch` on the requests and `replay` of the log with the same rules. Prints both
and their ratio, and each command's peak memory (constant whatever the length of the log).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_process import start_server  # noqa: E402


def peak_kib(command):
    """The command's peak resident memory, from GNU time's %M, in KiB."""
    run = subprocess.run(["/usr/bin/time", "-f", "%M", *command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return int(run.stderr.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    work = tempfile.mkdtemp(prefix="telpolicy-replay-bench-")
    requests_path = os.path.join(work, "requests.jsonl")
    log_path = os.path.join(work, "decisions.jsonl")

    made = subprocess.run([sys.executable, os.path.join(here, "make_requests.py"), str(args.requests), "--numbers", "0.6",
                           "--invalid", "0", "--seed", "18"], check=True, capture_output=True, text=True).stdout
    lines = [line for line in made.splitlines() if line.strip()]
    valid = []
    for line in lines:
        try:
            if isinstance(json.loads(line), dict):
                valid.append(line)
        except ValueError:
            pass
    with open(requests_path, "w") as out:
        out.write("\n".join(valid) + "\n")

    server, port = start_server(args.binary, 2, ["--decision-log", log_path, "--decision-log-full", "block",
                                                 "--max-body-bytes", str(64 << 20)], "replay_vs_batch")
    try:
        for start in range(0, len(valid), 1000):
            body = ("[" + ",".join(valid[start:start + 1000]) + "]").encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/decisions/batch", data=body,
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request).read()
    finally:
        server.terminate()
        server.wait()
    logged = sum(1 for _ in open(log_path))
    print(f"{len(valid)} requests, {logged} logged decisions ({os.path.getsize(log_path) >> 20} MiB of log)")

    batch = f"{args.binary} eval --batch --input {requests_path}"
    replay = f"{args.binary} replay {log_path}"
    export = os.path.join(work, "hyperfine.json")
    subprocess.run(["taskset", "-c", "0", "hyperfine", "-N", "--runs", str(args.runs), "--output=null",
                    "--export-json", export, batch, replay], check=True)
    results = json.load(open(export))["results"]
    batch_s, replay_s = results[0]["mean"], results[1]["mean"]
    print(f"eval --batch: {batch_s:.3f} s ({len(valid) / batch_s:,.0f} lines/s), peak {peak_kib(batch.split()) // 1024} MiB")
    print(f"replay:       {replay_s:.3f} s ({logged / replay_s:,.0f} lines/s), peak {peak_kib(replay.split()) // 1024} MiB")
    print(f"replay takes {replay_s / batch_s:.2f} times as long as eval --batch (goal: at most 2)")
    print(subprocess.run(replay.split(), capture_output=True, text=True).stdout.splitlines()[1])


if __name__ == "__main__":
    main()
