"""Imports Python modules that Debian packages provide (python3-jsonschema, python3-yaml: tools/setup
installs them). They serve Debian's own interpreter; when another python3 is first on PATH (pyenv, a
venv) and lacks them, the script is run again under /usr/bin/python3, once."""
import importlib
import os
import sys

DEBIAN_PYTHON = "/usr/bin/python3"
REEXEC_FLAG = "TELPOLICY_DEBIAN_PYTHON_REEXEC"


def import_debian_modules(*names):
    try:
        return [importlib.import_module(name) for name in names]
    except ImportError as missing:
        if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PYTHON) and os.path.exists(DEBIAN_PYTHON) \
                and not os.environ.get(REEXEC_FLAG):
            os.environ[REEXEC_FLAG] = "1"
            os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON, *sys.argv])
        packages = " and ".join("python3-" + name for name in names)
        sys.exit(f"{os.path.basename(sys.argv[0])}: {missing}; install the Debian packages {packages} (tools/setup does)")
