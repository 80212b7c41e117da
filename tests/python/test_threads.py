"""One Engine shared by Python threads: concurrent decisions and reloads, the GIL released."""
import sys
import threading

import telpolicy
from conftest import BUILD_PLUGINS

REQUESTS = [
    {"country": "US", "action": "port_in", "number_type": "user"},
    {"country": "DE", "action": "port_in"},
    {"country": "US", "action": "set_pin", "pin": "12"},
    {"country": "GB", "action": "new_numbers", "number_type": "user"},
    {"country": "US", "action": {1}},
]


def test_eight_threads_decide_while_another_reloads(rules_copy):
    engine = telpolicy.Engine(BUILD_PLUGINS, rules_copy)
    expected = [engine.evaluate(request) for request in REQUESTS]
    stop = threading.Event()
    failures = []
    reloads = []

    def decide():
        for round_ in range(300):
            for request, decision in zip(REQUESTS, expected):
                got = engine.evaluate(request) if round_ % 2 else engine.evaluate_batch([request])[0]
                if got != decision:
                    failures.append((request, got))

    def reload():
        while not stop.is_set():
            result = engine.reload()
            reloads.append(result["errors"])

    deciders = [threading.Thread(target=decide) for _ in range(8)]
    reloader = threading.Thread(target=reload)
    reloader.start()
    for thread in deciders:
        thread.start()
    for thread in deciders:
        thread.join()
    stop.set()
    reloader.join()
    assert failures == []
    assert reloads and all(errors == [] for errors in reloads)


def test_other_threads_run_while_a_batch_is_decided(engine):
    # With a switch interval of an hour the interpreter never takes the GIL from a thread by itself:
    # the counter can move between the batch's first element and its return only if evaluate_batch
    # lets go of the GIL. The counter thread gives the GIL back at every step (sleep(0) releases it),
    # so the main thread is never kept waiting. Each chunk of 256 is a chance for the counter to run;
    # the batch is decided up to five times, so that a machine too busy to schedule the counter
    # thread during one of hundreds of chunks does not fail the test.
    batch = [REQUESTS[0], REQUESTS[1]] * 20_000
    counter = [0]
    running = threading.Event()
    stop = threading.Event()

    def count():
        import time
        running.set()
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)

    def marked(requests, marks):
        for index, request in enumerate(requests):
            if index == 0:
                marks.append(counter[0])
            yield request

    previous = sys.getswitchinterval()
    thread = threading.Thread(target=count)
    advanced = []
    try:
        thread.start()
        running.wait()
        sys.setswitchinterval(3600)
        for _ in range(5):
            marks = []
            decisions = engine.evaluate_batch(marked(batch, marks))
            marks.append(counter[0])
            assert len(decisions) == len(batch)
            advanced.append(marks[1] - marks[0])
            if advanced[-1] > 0:
                break
    finally:
        sys.setswitchinterval(previous)
        stop.set()
        thread.join()
    assert advanced[-1] > 0, f"the counter never moved while batches were decided: {advanced}"
