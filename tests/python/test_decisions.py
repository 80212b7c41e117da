"""Engine.evaluate, evaluate_json and explain give the command's decisions."""
import json

import pytest

import telpolicy
from conftest import command_decision

REQUESTS = [
    {"country": "US", "action": "port_in", "number_type": "user"},
    {"country": "US", "action": "set_pin", "pin": "73829"},
    {"country": "DE", "action": "port_in"},
    {"country": "de", "action": "new_numbers", "number_type": "user", "count": 3, "locale": "de-DE"},
    {"country": "pr", "action": "clear_pin", "pin_is_set": True},
    {"country": "XX", "action": "port_in"},
    {"country": "US", "action": "port_in", "as_of": "2027-03-01T09:30:00+01:00"},
]


@pytest.mark.parametrize("request_", REQUESTS, ids=lambda r: f"{r['country']}-{r['action']}")
def test_evaluate_gives_the_commands_decision(engine, request_):
    text = json.dumps(request_)
    printed = command_decision(text)
    assert engine.evaluate_json(text) + "\n" == printed
    assert engine.evaluate(request_) == json.loads(printed)


def test_a_us_port_in_goes_to_the_porting_mailbox(engine):
    decision = engine.evaluate({"country": "US", "action": "port_in"})
    assert decision["allowed"] is True
    assert decision["mailbox"] == "ptn@microsoft.com"
    assert decision["plugin"] == {"name": "us", "version": "1.0.0"}


def test_a_de_port_in_is_decided_by_the_de_plugin(engine):
    decision = engine.evaluate({"country": "DE", "action": "port_in"})
    assert decision["country"] == "DE"
    assert decision["plugin"]["name"] == "de"
    assert decision["matched_rules"]


def test_evaluate_json_takes_bytes_and_bytearray(engine):
    text = '{"country":"US","action":"port_in"}'
    expected = engine.evaluate_json(text)
    assert engine.evaluate_json(text.encode()) == expected
    assert engine.evaluate_json(bytearray(text.encode())) == expected
    assert "\n" not in expected


def test_non_ascii_text_reaches_the_engine_as_utf8(engine):
    request = {"country": "DE", "action": "port_in", "locale": "dé-DE"}
    assert engine.evaluate(request) == json.loads(engine.evaluate_json(json.dumps(request, ensure_ascii=False)))


def test_explain_gives_the_decision_and_its_trace(engine):
    request = {"country": "US", "action": "port_in", "number_type": "user"}
    explanation = engine.explain(request)
    assert explanation["decision"] == engine.evaluate(request)
    assert explanation["trace"]
    step = explanation["trace"][0]
    assert set(step) >= {"rule", "location", "outcome", "detail"}
    assert ".yaml:" in step["location"]


def test_explain_of_a_bad_request_is_request_invalid(engine):
    explanation = engine.explain({"country": "US", "action": {1, 2}})
    assert explanation["decision"]["violations"][0]["code"] == "request.invalid"
    assert explanation["trace"] == []


def test_version_is_the_projects():
    assert telpolicy.__version__ == "1.0.0"


def test_a_request_decided_for_an_instant_says_which(engine):
    decision = engine.evaluate({"country": "US", "action": "port_in", "as_of": "2027-03-01T09:30:00+01:00"})
    assert decision["as_of"] == "2027-03-01T08:30:00Z"
    assert "as_of" not in engine.evaluate({"country": "US", "action": "port_in"})
