#!/usr/bin/env python3
"""Neovim's view of `telpolicy lsp`'s diagnostics against `telpolicy validate`'s lines.

For each rules file given, runs validate, then neovim headless with nvim-diagnostics.lua (the
built-in LSP client), and compares line, column, severity and message of every diagnostic. Neovim
keeps byte columns, converted from the server's UTF-16 ones: a non-ASCII file checks the conversion.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
VALIDATE_LINE = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+):(?P<column>\d+))?: (?P<severity>error|warning): (?P<message>.*)$")


def validate_diagnostics(binary, path):
    run = subprocess.run([binary, "validate", path], capture_output=True, text=True, timeout=120)
    found = []
    for line in run.stdout.splitlines():
        match = VALIDATE_LINE.match(line)
        if not match or match["file"] != path:
            raise SystemExit(f"unexpected validate line: {line}")
        # A problem of the whole file ("file: error: ...") is at the file's start in an editor.
        found.append((int(match["line"] or 1), int(match["column"] or 1), match["severity"], match["message"]))
    return sorted(found)


def nvim_diagnostics(nvim, binary, path):
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "diagnostics.tsv")
        env = dict(os.environ, TELPOLICY_LSP_BINARY=binary, TELPOLICY_LSP_FILE=path, TELPOLICY_LSP_OUT=out,
                   XDG_STATE_HOME=scratch, XDG_DATA_HOME=scratch, XDG_CACHE_HOME=scratch)
        script = os.path.join(HERE, "nvim-diagnostics.lua")
        run = subprocess.run([nvim, "--headless", "--clean", "-n", "-c", f"luafile {script}"], env=env,
                             capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
        if run.returncode != 0 or not os.path.exists(out):
            raise SystemExit(f"nvim failed on {path} (exit {run.returncode}):\n{run.stdout}{run.stderr}")
        found = []
        with open(out, encoding="utf-8") as lines:
            for line in lines.read().splitlines():
                lnum, col, severity, message = line.split("\t", 3)
                found.append((int(lnum) + 1, int(col) + 1, "error" if severity == "1" else "warning", message))
        return sorted(found)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nvim", default="nvim")
    parser.add_argument("--binary", required=True, help="the telpolicy command")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    failures = 0
    for path in (os.path.abspath(file) for file in args.files):
        expected = validate_diagnostics(args.binary, path)
        got = nvim_diagnostics(args.nvim, args.binary, path)
        if not expected:
            print(f"{path}: validate reports nothing: not a broken file", file=sys.stderr)
            failures += 1
        elif got != expected:
            print(f"{path}: neovim shows\n  {got}\nvalidate says\n  {expected}", file=sys.stderr)
            failures += 1
        else:
            print(f"{path}: {len(got)} diagnostics, as validate's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
