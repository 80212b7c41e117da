#!/usr/bin/env python3
"""Writes realistic JSON Lines requests for `telpolicy eval --batch` benchmarks (bench/README.md).

    bench/make_requests.py 1000000 > /tmp/requests.jsonl
    bench/make_requests.py 1000000 --numbers 0.05 --invalid 0.03 --seed 1 > /tmp/requests.jsonl
    bench/make_requests.py 1000000 --numbers 0.05 --unique-numbers > /tmp/requests.jsonl

The mix is deterministic for a seed: the seven US actions, US and PR in either case, a few countries
no plugin serves, optional number_type, count, pin_is_set and locale, PINs good and bad, and a
fraction of requests listing phone numbers (--numbers; each number costs a libphonenumber parse, about
20 us, so this fraction decides the throughput) and a fraction of invalid lines (--invalid: not JSON,
wrong types, unknown values, missing fields). The numbers come from a list of six, so they repeat;
with --unique-numbers each one is made distinct (its last seven digits count up), in the same
places and the same regions and kinds, so that nothing can be remembered from one number to the next.
"""
import argparse
import itertools
import json
import random
import sys

ACTIONS = ["new_numbers", "port_in", "convert_to_service", "transfer_tenant", "port_out", "set_pin", "clear_pin"]
NEEDS_PIN = {"set_pin", "convert_to_service", "transfer_tenant", "port_out"}
COUNTRIES = ["US"] * 12 + ["PR"] * 3 + ["us", "pr", "BR", "NZ"]
NUMBER_TYPES = ["user", "service", "toll_free", "subscriber"]
LOCALES = ["en-US", "en_US", "es-PR", "fr-CA", "EN-us"]
NUMBERS = ["+12025550143", "+12025550144", "+17875550123", "+18002345678", "+442071838750", "12"]
INVALID_LINES = [
    "not json",
    "",
    "[1,2]",
    '{"country":"US"}',
    '{"action":"port_in"}',
    '{"country":"US","action":"teleport"}',
    '{"country":"USA","action":"port_in"}',
    '{"country":"US","action":"port_in","count":-3}',
    '{"country":"US","action":"port_in","count":"12"}',
    '{"country":"US","action":"set_pin","pin":123456}',
    '{"country":"US","action":"port_in","numbers":"+12025550143"}',
    '{"country":"US","action":"port_in","number_type":"mobile"}',
    '{"country":"US","action":"port_in","locale":"x"}',
    '{"country":"US","action":"port_in"',
    '{"country":"US","action":"port_in","pin_is_set":"yes"}',
]


def pin(rng):
    roll = rng.random()
    if roll < 0.80:
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 10)))
    if roll < 0.90:
        return "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 5)))
    return "12ab56"


def distinct(number, serial):
    """The number with its last seven digits replaced by 2000000 + serial: same country, area code and kind."""
    if len(number) < 10:
        return number
    return number[:-7] + str(2000000 + serial % 8000000)


def request(rng, numbers_fraction, serials=None):
    action = rng.choice(ACTIONS)
    r = {"country": rng.choice(COUNTRIES), "action": action}
    if rng.random() < 0.4:
        r["number_type"] = rng.choice(NUMBER_TYPES)
    if action in NEEDS_PIN and rng.random() < 0.85:
        r["pin"] = pin(rng)
    if rng.random() < 0.5:
        r["pin_is_set"] = rng.random() < 0.7
    if rng.random() < numbers_fraction:
        r["numbers"] = [rng.choice(NUMBERS) for _ in range(rng.randint(1, 3))]
        if serials is not None:
            r["numbers"] = [distinct(n, next(serials)) for n in r["numbers"]]
    elif rng.random() < 0.2:
        r["count"] = rng.choice([1, 10, 250, 999, 1200])
    if rng.random() < 0.15:
        r["locale"] = rng.choice(LOCALES)
    return json.dumps(r, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lines", type=int)
    parser.add_argument("--numbers", type=float, default=0.05, help="fraction of requests that list numbers")
    parser.add_argument("--invalid", type=float, default=0.03, help="fraction of invalid lines")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unique-numbers", action="store_true", help="make every listed number distinct")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    serials = itertools.count() if args.unique_numbers else None
    out = sys.stdout
    chunk = []
    for _ in range(args.lines):
        line = rng.choice(INVALID_LINES) if rng.random() < args.invalid else request(rng, args.numbers, serials)
        chunk.append(line)
        if len(chunk) >= 10000:
            out.write("\n".join(chunk) + "\n")
            chunk = []
    if chunk:
        out.write("\n".join(chunk) + "\n")


if __name__ == "__main__":
    main()
