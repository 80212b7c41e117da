"""Engine.evaluate_batch: decisions in order, a bad element affecting only itself."""
import json

GOOD = {"country": "US", "action": "port_in", "number_type": "user"}
DE = {"country": "DE", "action": "port_in"}


def test_decisions_come_in_input_order(engine):
    requests = [GOOD, DE, {"country": "US", "action": "set_pin", "pin": "12"}] * 300  # several chunks
    decisions = engine.evaluate_batch(requests)
    assert decisions == [engine.evaluate(request) for request in requests]


def test_a_bad_element_gets_its_own_request_invalid(engine):
    requests = [GOOD, {"country": "US", "action": {1}}, "text", DE, {1: 2}, GOOD]
    decisions = engine.evaluate_batch(requests)
    assert len(decisions) == len(requests)
    codes = [[v["code"] for v in d["violations"]] for d in decisions]
    assert codes[1] == codes[2] == codes[4] == ["request.invalid"]
    assert decisions[0] == decisions[5] == engine.evaluate(GOOD)
    assert decisions[3] == engine.evaluate(DE)


def test_any_iterable_serves(engine):
    generated = engine.evaluate_batch(dict(GOOD) for _ in range(3))
    assert generated == [engine.evaluate(GOOD)] * 3
    assert engine.evaluate_batch(()) == []
    assert engine.evaluate_batch(iter([DE])) == [engine.evaluate(DE)]


def test_a_batch_decides_as_the_json_text_does(engine):
    requests = [GOOD, DE]
    assert engine.evaluate_batch(requests) == [json.loads(engine.evaluate_json(json.dumps(r))) for r in requests]
