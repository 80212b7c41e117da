"""The installed module (PYTHONPATH=<prefix>/<python install dir>) loads the plugins and rules
installed under the same prefix by default, and decides with them. Run by installed_module.cmake."""
import os
import sys

prefix = os.path.realpath(sys.argv[1])

import telpolicy  # noqa: E402  (the module under test, from PYTHONPATH)


def under_prefix(path):
    return os.path.realpath(path).startswith(prefix + os.sep)


def main():
    assert under_prefix(telpolicy.__file__), f"imported {telpolicy.__file__}, not the one installed in {prefix}"
    engine = telpolicy.Engine()
    plugins = engine.plugins()
    assert plugins, f"the installed module loaded no plugin: {engine.load_report()}"
    for plugin in plugins:
        assert under_prefix(plugin["library"]), f"plugin {plugin['name']} from {plugin['library']}, not {prefix}"
        assert under_prefix(plugin["rules"]), f"rules of {plugin['name']} from {plugin['rules']}, not {prefix}"
    decision = engine.evaluate({"country": "DE", "action": "port_in"})
    assert decision["plugin"]["name"] == "de", decision
    assert decision["country"] == "DE", decision
    print(f"{telpolicy.__file__}: {len(plugins)} plugins from {prefix}; DE port_in: allowed={decision['allowed']} "
          f"mailbox={decision['mailbox']}")


main()
