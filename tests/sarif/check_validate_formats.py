#!/usr/bin/env python3
"""`telpolicy validate --format text|json|sarif` say the same thing, and the SARIF is SARIF 2.1.0.

Over the broken files of tests/validate/ and the shipped rules files (plain and --strict), each set
in one run:
1. the three formats give the same exit code and the same diagnostics (file, line, column,
   severity, message), in the same order;
2. the SARIF log is valid against the official SARIF 2.1.0 JSON Schema (from the npm package
   @microsoft/jest-sarif, installed by tools/setup into tests/sarif/node_modules);
3. every result's ruleId is one of the driver's rules, and every JSON diagnostic's code is too;
4. rules/README.md lists every one of those codes.

Usage: check_validate_formats.py TELPOLICY_BINARY
"""
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from debian_python import import_debian_modules  # noqa: E402

(jsonschema,) = import_debian_modules("jsonschema")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = Path(__file__).resolve().parent / "node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json"


def run(binary, args, output_format):
    done = subprocess.run([binary, "validate", "--format", output_format, *args], capture_output=True, text=True)
    return done.returncode, done.stdout


def text_line(file, line, column, severity, message):
    where = f"{file}:{line}:{column}" if line else file
    return f"{where}: {severity}: {message}"


def from_json(document):
    return [text_line(d["file"], d["line"], d["column"], d["severity"], d["message"]) for d in document["diagnostics"]]


def from_sarif(log):
    lines = []
    for result in log["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        uri = urllib.parse.unquote(location["artifactLocation"]["uri"]).removeprefix("file://")
        region = location.get("region", {})
        lines.append(text_line(uri, region.get("startLine"), region.get("startColumn"), result["level"],
                               result["message"]["text"]))
    return lines


def check(binary, args, validator, label):
    problems = []
    text_code, text = run(binary, args, "text")
    json_code, json_out = run(binary, args, "json")
    sarif_code, sarif_out = run(binary, args, "sarif")
    if not text_code == json_code == sarif_code:
        problems.append(f"exit codes differ: text {text_code}, json {json_code}, sarif {sarif_code}")
    document = json.loads(json_out)
    log = json.loads(sarif_out)
    text_lines = text.splitlines()
    if from_json(document) != text_lines:
        problems.append("the JSON diagnostics differ from the text")
    if from_sarif(log) != text_lines:
        problems.append("the SARIF results differ from the text")
    for error in validator.iter_errors(log):
        problems.append(f"not SARIF 2.1.0 at /{'/'.join(map(str, error.absolute_path))}: {error.message}")
    known = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    for result in log["runs"][0]["results"]:
        if result["ruleId"] not in known:
            problems.append(f"ruleId {result['ruleId']} is not among the driver's rules")
    for diagnostic in document["diagnostics"]:
        if diagnostic["code"] not in known:
            problems.append(f"code {diagnostic['code']} is not among the known kinds")
    if document["errors"] + document["warnings"] != len(text_lines):
        problems.append("the JSON counts do not add up to the diagnostics")
    status = "FAIL" if problems else "PASS"
    print(f"{status} {label} ({len(text_lines)} diagnostics)")
    for problem in problems:
        print(f"    {problem}")
    return not problems


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    if not SCHEMA.exists():
        sys.exit(f"{SCHEMA} is missing: run tools/setup test (npm ci --prefix tests/sarif)")
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    corpus = sorted(str(path) for path in (ROOT / "tests" / "validate").glob("*.yaml"))
    rules = sorted(str(path) for path in (ROOT / "rules").glob("*.yaml") if not path.name.endswith(".tests.yaml"))
    # One run over the whole corpus holds every file's diagnostics, in file order: as telling as a
    # run per file, at a sixtieth of the cost (this check also runs under AddressSanitizer).
    runs = [(corpus, "every file of tests/validate/, at once")]
    runs += [(rules, "the shipped rules"), (["--strict", *rules], "the shipped rules, --strict")]
    passed = sum(check(binary, args, validator, label) for args, label in runs)
    _, sarif_out = run(binary, corpus[:1], "sarif")
    readme = (ROOT / "rules" / "README.md").read_text()
    undocumented = [rule["id"] for rule in json.loads(sarif_out)["runs"][0]["tool"]["driver"]["rules"]
                    if f"| `{rule['id']}` |" not in readme]
    runs.append(([], "rules/README.md lists every code"))
    if undocumented:
        print(f"FAIL rules/README.md does not list {', '.join(undocumented)}")
    else:
        passed += 1
        print("PASS rules/README.md lists every code")
    print(f"{passed} passed, {len(runs) - passed} failed")
    return 0 if passed == len(runs) else 1


if __name__ == "__main__":
    sys.exit(main())
