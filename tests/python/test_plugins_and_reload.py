"""plugins(), load_report(), explicit folders, reload() on a rules folder being edited."""
import os
from pathlib import Path

import pytest

import telpolicy
from conftest import BUILD_PLUGINS, RULES, edit

US_PORT_IN = {"country": "US", "action": "port_in", "number_type": "user"}
MAILBOX = "address: ptn@microsoft.com"


def test_plugins_lists_the_bundled_countries(engine):
    plugins = engine.plugins()
    countries = {country for plugin in plugins for country in plugin["countries"]}
    assert {"US", "PR", "DE", "GB", "FR", "JP", "ZA"} <= countries
    assert len(plugins) >= 33
    us = next(plugin for plugin in plugins if plugin["name"] == "us")
    assert set(us) >= {"name", "version", "countries", "library", "rules", "sources"}
    assert us["version"] == "1.0.0"
    assert us["rules"].endswith("us.yaml")


def test_load_report_is_the_commands(engine):
    report = engine.load_report()
    assert set(report) == {"loaded", "refused", "revision", "digest"}
    assert report["loaded"] == engine.plugins()
    assert report["refused"] == []
    assert report["revision"] == engine.revision == 1
    assert len(report["digest"]) == 16


def test_explicit_folders_as_str_pathlike_and_lists():
    as_str = telpolicy.Engine(str(BUILD_PLUGINS), str(RULES))
    as_paths = telpolicy.Engine(plugin_dirs=[BUILD_PLUGINS], rules_dirs=[Path("/nonexistent"), RULES])
    as_bytes = telpolicy.Engine(os.fsencode(BUILD_PLUGINS), (RULES,))
    for engine in (as_str, as_paths, as_bytes):
        assert engine.evaluate(US_PORT_IN)["mailbox"] == "ptn@microsoft.com"
        assert all(plugin["library"].startswith(str(BUILD_PLUGINS)) for plugin in engine.plugins())


def test_no_plugin_loaded_is_a_warning_not_an_error(tmp_path):
    with pytest.warns(RuntimeWarning, match="no plugin could be loaded"):
        empty = telpolicy.Engine([tmp_path], [tmp_path])
    assert empty.plugins() == []
    assert empty.evaluate(US_PORT_IN)["violations"][0]["code"] == "country.unsupported"


def test_a_folder_that_is_not_a_path_is_a_type_error():
    with pytest.raises(TypeError):
        telpolicy.Engine(plugin_dirs=[42])


def test_limits_are_keyword_arguments():
    small = telpolicy.Engine(BUILD_PLUGINS, RULES, max_request_bytes=20)
    message = small.evaluate(US_PORT_IN)["violations"][0]["message"]
    assert small.evaluate(US_PORT_IN)["violations"][0]["code"] == "request.invalid"
    assert "20" in message
    with pytest.raises(TypeError):
        telpolicy.Engine(BUILD_PLUGINS, RULES, False)  # allow_untrusted_plugins is keyword-only


def test_reload_takes_up_an_edited_rules_file(rules_copy):
    engine = telpolicy.Engine(BUILD_PLUGINS, rules_copy)
    assert engine.evaluate(US_PORT_IN)["mailbox"] == "ptn@microsoft.com"
    edit(rules_copy / "us.yaml", MAILBOX, "address: porting-desk@example.com")
    result = engine.reload()
    assert result == {"applied": True, "revision": 2, "errors": []}
    assert engine.revision == 2
    assert engine.evaluate(US_PORT_IN)["mailbox"] == "porting-desk@example.com"


def test_a_broken_edit_gives_errors_and_keeps_the_old_rules(rules_copy):
    engine = telpolicy.Engine(BUILD_PLUGINS, rules_copy)
    before = engine.evaluate(US_PORT_IN)
    edit(rules_copy / "us.yaml", MAILBOX, "address: [ptn@microsoft.com")
    result = engine.reload()
    assert result["applied"] is False
    assert result["revision"] == 1
    assert result["errors"], result
    error = result["errors"][0]
    assert set(error) >= {"file", "line", "column", "message", "code", "severity", "text"}
    assert error["file"].endswith("us.yaml")
    assert error["line"] > 0 and error["column"] > 0
    assert error["severity"] == "error"
    assert error["text"].startswith(f"{error['file']}:{error['line']}:{error['column']}: error: ")
    assert engine.evaluate(US_PORT_IN) == before


def test_watch_can_start_and_stop(rules_copy):
    engine = telpolicy.Engine(BUILD_PLUGINS, rules_copy)
    assert engine.watching is False
    engine.watch(0.05)
    assert engine.watching is True
    engine.watch(0)
    assert engine.watching is False
    with pytest.raises(ValueError):
        engine.watch(-1)
