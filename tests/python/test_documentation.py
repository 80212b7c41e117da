"""help(telpolicy.Engine) is what users read: every public name has a docstring with its signature."""
import pydoc

import telpolicy

METHODS = ["evaluate", "evaluate_json", "evaluate_batch", "explain", "reload", "watch", "plugins", "load_report"]


def test_the_module_and_the_class_are_documented():
    assert "evaluate" in telpolicy.__doc__
    assert telpolicy.Engine.__doc__.startswith("Engine(plugin_dirs=None, rules_dirs=None, *")


def test_every_method_starts_with_its_signature():
    for name in METHODS:
        doc = getattr(telpolicy.Engine, name).__doc__
        assert doc and doc.startswith(f"{name}("), name
        assert len(doc.splitlines()) > 2, name
    for name in ("revision", "watching"):
        assert getattr(telpolicy.Engine, name).__doc__


def test_help_renders():
    text = pydoc.render_doc(telpolicy.Engine, renderer=pydoc.plaintext)
    for name in METHODS:
        assert name in text
    assert "request.invalid" in text
