#!/usr/bin/env python3
"""Checks rules/schema/rules.schema.json, the JSON Schema editors use for rules files.

1. The schema is itself a valid JSON Schema (draft-07).
2. Every shipped rules file, rules/*.yaml, is valid against it.
3. Schema/loader agreement on tests/schema/corpus/: the schema accepts every valid-*.yaml and rejects
   every invalid-*.yaml. An invalid file names, in a "# schema-error-at: /json/pointer" comment, where
   in the document the schema must report a problem, so that a file is refused for the reason it was
   written for. The loader side of the same corpus is checked by tests/unit-schema-agreement.cpp.

Prints one line per file checked and a final line "N passed, M failed"; exits non-zero on a failure.
YAML is read the way editors (yaml-language-server) read it, as YAML 1.2: only true/false (any of
true, True, TRUE) are booleans, so "yes" and "on" stay text, and dates stay text.
"""
import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from debian_python import import_debian_modules  # noqa: E402

jsonschema, yaml = import_debian_modules("jsonschema", "yaml")

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "rules" / "schema" / "rules.schema.json"
RULES_DIR = ROOT / "rules"
CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
MIN_CORPUS_FILES = 12
SCHEMA_ERROR_AT = re.compile(r"^#\s*schema-error-at:\s*(\S+)\s*$", re.MULTILINE)


class Yaml12Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2 core-schema booleans and integers, and no timestamps."""


def _yaml12_resolvers():
    dropped = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp"}
    Yaml12Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789"))

    def construct_int(loader, node):
        text = loader.construct_scalar(node)
        if text.startswith(("0o", "0x")):
            return int(text, 0)
        return int(text, 10)

    Yaml12Loader.add_constructor("tag:yaml.org,2002:int", construct_int)


_yaml12_resolvers()


def pointer(path):
    return "/" + "/".join(str(part) for part in path)


def all_errors(errors):
    """Every error, with the errors nested in oneOf/anyOf/allOf contexts."""
    for error in errors:
        yield error
        yield from all_errors(error.context or [])


def describe(error):
    return f"{pointer(error.absolute_path)}: {error.message}"


def main():
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    passed = failed = 0

    def report(ok, name, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
        print(f"{'PASS' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as error:
        report(False, SCHEMA.relative_to(ROOT), f"not a valid JSON Schema: {error.message}")
        print(f"{passed} passed, {failed} failed")
        return 1
    report(True, SCHEMA.relative_to(ROOT), f"valid {validator_class.__name__} schema")
    validator = validator_class(schema)

    def errors_of(path):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12Loader)
        return sorted(validator.iter_errors(document), key=lambda error: list(map(str, error.absolute_path)))

    # Shipped rules files.
    shipped = sorted(p for p in RULES_DIR.glob("*.yaml") if not p.name.endswith(".tests.yaml"))
    if not shipped:
        report(False, RULES_DIR.relative_to(ROOT), "no rules/*.yaml file to check")
    for path in shipped:
        errors = errors_of(path)
        report(not errors, path.relative_to(ROOT), "; ".join(map(describe, errors)))

    # Agreement corpus.
    corpus = sorted(CORPUS_DIR.glob("*.yaml"))
    valid_count = sum(path.name.startswith("valid-") for path in corpus)
    invalid_count = sum(path.name.startswith("invalid-") for path in corpus)
    if len(corpus) < MIN_CORPUS_FILES or valid_count == 0 or invalid_count == 0:
        report(False, CORPUS_DIR.relative_to(ROOT),
               f"needs at least {MIN_CORPUS_FILES} files, both valid-* and invalid-*; has {valid_count} valid-* "
               f"and {invalid_count} invalid-*")
    for path in corpus:
        name = path.relative_to(ROOT)
        if path.name.startswith("valid-"):
            errors = errors_of(path)
            report(not errors, name, "the schema rejects it: " + "; ".join(map(describe, errors)) if errors else "")
        elif path.name.startswith("invalid-"):
            expected = SCHEMA_ERROR_AT.findall(path.read_text(encoding="utf-8"))
            if len(expected) != 1:
                report(False, name, "an invalid-* file needs one '# schema-error-at: /json/pointer' comment")
                continue
            errors = errors_of(path)
            if not errors:
                report(False, name, "the schema accepts it")
                continue
            where = {pointer(error.absolute_path) for error in all_errors(errors)}
            report(expected[0] in where, name,
                   "" if expected[0] in where else
                   f"no schema error at {expected[0]}; got: " + "; ".join(map(describe, errors)))
        else:
            report(False, name, "a corpus file's name starts with valid- or invalid-")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
