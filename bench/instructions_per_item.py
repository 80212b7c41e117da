#!/usr/bin/env python3
"""instructions_per_item.py BINARY FILTER [BINARY FILTER ...]: instructions per iteration of Google
Benchmark cases, counted by callgrind (valgrind), for comparing builds on a machine whose timings
are noisy (a shared virtual machine): counts are repeatable where times are not.

Each case runs twice under callgrind, with two minimum times; the difference of the instruction
totals over the difference of the iterations removes the program's set-up (loading plugins and
rules). Prints one line per binary and case: instructions per iteration."""
import json, os, re, subprocess, sys, tempfile

def run(binary, case, min_time):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, binary,
                            "--benchmark_filter=^" + case + "$", "--benchmark_min_time=" + str(min_time),
                            "--benchmark_format=json"], capture_output=True, text=True, check=True)
        iterations = sum(b["iterations"] for b in json.loads(p.stdout)["benchmarks"])
        total = int(re.search(r"^summary: (\d+)", open(out).read(), re.M).group(1))
        return iterations, total

args = sys.argv[1:]
for binary, case in zip(args[0::2], args[1::2]):
    i1, t1 = run(binary, case, 0.01)
    i2, t2 = run(binary, case, 0.05)
    print(f"{binary}\t{case}\t{(t2 - t1) / max(i2 - i1, 1):.0f} instructions per iteration")
