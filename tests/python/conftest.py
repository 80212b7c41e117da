"""Fixtures of the Python module's tests: the build tree's command and folders, engines on them.

ctest (tests/python/CMakeLists.txt) sets PYTHONPATH to the build tree's module folder and
TELPOLICY_BINARY, TELPOLICY_SOURCE_DIR, TELPOLICY_BUILD_DIR and TELPOLICY_PYTHON_INSTALL_DIR."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

import telpolicy

BINARY = Path(os.environ["TELPOLICY_BINARY"])
SOURCE_DIR = Path(os.environ["TELPOLICY_SOURCE_DIR"])
BUILD_DIR = Path(os.environ["TELPOLICY_BUILD_DIR"])
# The build tree has the installed layout: bin/telpolicy, lib/telpolicy/plugins, share/telpolicy/rules.
BUILD_PLUGINS = (BINARY.parent / ".." / "lib" / "telpolicy" / "plugins").resolve()
RULES = SOURCE_DIR / "rules"
FOLDER_VARIABLES = ("TELPOLICY_PLUGIN_PATH", "TELPOLICY_RULES_PATH")


def environment_without_folders():
    """The environment, minus the variables that would choose the folders."""
    return {name: value for name, value in os.environ.items() if name not in FOLDER_VARIABLES}


def command_decision(request_text):
    """What `telpolicy eval --compact` prints for the request, with its default folders."""
    result = subprocess.run([str(BINARY), "eval", "--compact"], input=request_text, capture_output=True, text=True,
                            env=environment_without_folders(), check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(autouse=True)
def no_folder_variables(monkeypatch):
    """Every test chooses its folders itself, whatever the caller's environment says."""
    for name in FOLDER_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def engine():
    """The bundled plugins and rules of the build tree, as Engine() finds them by default."""
    saved = {name: os.environ.pop(name) for name in FOLDER_VARIABLES if name in os.environ}
    try:
        return telpolicy.Engine()
    finally:
        os.environ.update(saved)


@pytest.fixture
def rules_copy(tmp_path):
    """A copy of the bundled rules folder that a test may edit."""
    copy = tmp_path / "rules"
    shutil.copytree(RULES, copy, ignore=shutil.ignore_patterns("*.tests.yaml"))
    return copy


def edit(path, old, new):
    """Replaces text in a rules file, which must hold it."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} no longer holds {old!r}"
    # A new size makes the change visible to the engine's fingerprint even within one second.
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def decision_of(engine, request):
    """Shorthand for tests that compare decisions as JSON."""
    return json.dumps(engine.evaluate(request), sort_keys=True)
