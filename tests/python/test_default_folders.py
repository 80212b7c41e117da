"""Engine() finds the plugins and rules as the command does: the variables, else beside the module."""
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import BINARY, BUILD_DIR, environment_without_folders

SCRIPT = """
import json, telpolicy
engine = telpolicy.Engine()
print(json.dumps({"module": telpolicy.__file__, "plugins": engine.plugins(),
                  "decision": engine.evaluate({"country": "DE", "action": "port_in"})}))
"""


def run_fresh(env, cwd):
    """A new interpreter: the defaults are computed when an Engine is made, from that process's state."""
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, cwd=cwd, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_variables_the_build_trees_bundle_is_found(tmp_path):
    # From another folder, with a relative PYTHONPATH entry made absolute: nothing depends on the cwd.
    found = run_fresh(environment_without_folders(), tmp_path)
    assert Path(found["module"]).resolve().is_relative_to(BUILD_DIR.resolve())
    plugins = found["plugins"]
    assert len(plugins) >= 33
    build_plugins = (BUILD_DIR / "lib").resolve()
    for plugin in plugins:
        assert Path(plugin["library"]).resolve().is_relative_to(build_plugins), plugin["library"]
    assert found["decision"]["plugin"]["name"] == "de"


def test_the_variables_choose_the_folders(tmp_path):
    us_alone = BUILD_DIR / "us-alone" / "plugins"
    env = {**environment_without_folders(), "TELPOLICY_PLUGIN_PATH": f"{tmp_path}:{us_alone}"}
    found = run_fresh(env, tmp_path)
    assert [plugin["name"] for plugin in found["plugins"]] == ["us"]
    assert found["decision"]["violations"][0]["code"] == "country.unsupported"


def test_the_module_and_the_command_load_the_same_bundle(engine):
    listed = subprocess.run([str(BINARY), "plugins", "--json"], capture_output=True, text=True, check=True,
                            env=environment_without_folders()).stdout
    command = json.loads(listed)
    module = engine.load_report()
    assert [p["library"] for p in module["loaded"]] == [p["library"] for p in command["loaded"]]
    assert module["digest"] == command["digest"]
