"""A bad request never raises: it gets the engine's request.invalid decision, naming the problem."""
import json
import math
import sys

import pytest

PIN = "73829"

BAD_REQUESTS = {
    "not a dict (list)": [1, 2],
    "not a dict (str)": '{"country":"US","action":"port_in"}',
    "not a dict (None)": None,
    "a set value": {"country": "US", "action": "port_in", "numbers": {"+12065550100"}},
    "bytes value": {"country": "US", "action": "port_in", "pin": PIN.encode()},
    "NaN": {"country": "US", "action": "port_in", "count": math.nan},
    "infinity": {"country": "US", "action": "port_in", "count": math.inf},
    "an int too long to write": {"country": "US", "action": "port_in", "count": 10 ** 5000},
    "an int beyond 64 bits": {"country": "US", "action": "port_in", "count": 10 ** 30},
    "a negative count": {"country": "US", "action": "port_in", "count": -1},
    "an int key": {"country": "US", "action": "port_in", 1: "x"},
    "a tuple key": {"country": "US", "action": "port_in", (1, 2): "x"},
    "NUL in a string": {"country": "US\x00", "action": "port_in"},
    "a lone surrogate": {"country": "US", "action": "port_in", "locale": "\ud800"},
    "an object value": {"country": "US", "action": object()},
    "a wrong type": {"country": "US", "action": 7},
    "a missing field": {"country": "US"},
    "an unknown action": {"country": "US", "action": "port_inn"},
    "a nested dict with a set": {"country": "US", "action": "port_in", "extra": {"a": {1}}},
}


def circular():
    request = {"country": "US", "action": "port_in"}
    request["self"] = request
    return request


def deeply_nested():
    value = []
    for _ in range(sys.getrecursionlimit() * 2):
        value = [value]
    return {"country": "US", "action": "port_in", "numbers": value}


def assert_request_invalid(decision):
    assert decision["allowed"] is False
    assert [v["code"] for v in decision["violations"]] == ["request.invalid"]
    assert decision["matched_rules"] == ["core.request"]
    assert decision["country"] is None


@pytest.mark.parametrize("name", BAD_REQUESTS)
def test_a_bad_request_gets_request_invalid(engine, name):
    assert_request_invalid(engine.evaluate(BAD_REQUESTS[name]))


@pytest.mark.parametrize("make", [circular, deeply_nested])
def test_structures_json_cannot_write_get_request_invalid(engine, make):
    assert_request_invalid(engine.evaluate(make()))


def test_the_message_names_the_field(engine):
    decision = engine.evaluate({"country": "US", "action": "port_in", "numbers": {"+12065550100"}})
    message = decision["violations"][0]["message"]
    assert "field 'numbers'" in message and "set" in message


def test_the_message_does_not_quote_a_key_outside_the_contract(engine):
    message = engine.evaluate({"country": "US", "action": "port_in", PIN: {1}})["violations"][0]["message"]
    assert PIN not in message
    assert "a field the contract does not define" in message


def test_a_non_dict_is_named(engine):
    message = engine.evaluate([1])["violations"][0]["message"]
    assert message == "the request must be a dict (a JSON object), got list"


@pytest.mark.parametrize("text", [
    "", "not json", "[1]", '{"country":"US","action":"port_in"} trailing',
    '{"country":"US","country":"US","action":"port_in"}', '{"country":"US\x00","action":"port_in"}',
    b"\xff\xfe", "\ud800", 42, None, ["a"],
])
def test_evaluate_json_of_bad_text_gets_request_invalid(engine, text):
    assert_request_invalid(json.loads(engine.evaluate_json(text)))


def test_evaluate_json_says_what_the_command_says_for_invalid_json(engine):
    from conftest import command_decision
    assert engine.evaluate_json("not json") + "\n" == command_decision("not json")


@pytest.mark.parametrize("request_", [
    {"country": "US", "action": "set_pin", "pin": PIN, "numbers": {1}},
    {"country": "US", "action": "set_pin", "pin": PIN, "count": math.nan},
    {"country": "US", "action": "set_pin", "pin": PIN, 5: 1},
    {"country": "US", "action": "set_pin", "pin": PIN, "extra": [PIN, {PIN}]},
    {"country": "US", "action": "set_pin", "pin": PIN},
    {"country": "US", "action": "set_pin", "pin": {PIN}},
    {"country": "US", "action": "set_pin", "pin": [PIN]},
])
def test_the_pin_never_appears_in_a_decision_or_explanation(engine, request_):
    assert PIN not in json.dumps(engine.evaluate(request_))
    assert PIN not in json.dumps(engine.explain(request_))
    assert PIN not in json.dumps(engine.evaluate_batch([request_]))


def test_the_pin_never_appears_in_invalid_json_text(engine):
    text = '{"country":"US","action":"set_pin","pin":"' + PIN + '",}'
    assert PIN not in engine.evaluate_json(text)
    assert PIN not in engine.evaluate_json(text.encode())


def test_the_pin_never_appears_in_a_repr(engine):
    engine.evaluate({"country": "US", "action": "set_pin", "pin": PIN})
    assert PIN not in repr(engine)
    assert repr(engine).startswith("<telpolicy.Engine revision ")


def test_nesting_deeper_than_max_json_depth_is_request_invalid():
    import telpolicy
    from conftest import BUILD_PLUGINS, RULES

    shallow = telpolicy.Engine(str(BUILD_PLUGINS), str(RULES), max_json_depth=2)
    decision = shallow.evaluate({"country": "US", "action": "port_in", "numbers": [["+12065550100"]]})
    assert_request_invalid(decision)
    assert "deeper than the limit of 2" in decision["violations"][0]["message"]
    within = shallow.evaluate({"country": "US", "action": "port_in", "numbers": ["+12065550100"]})
    assert "request.invalid" not in [v["code"] for v in within["violations"]]
