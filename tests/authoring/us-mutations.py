#!/usr/bin/env python3
"""The thirty-file experiment of issue 14, kept: broken copies of rules/us.yaml of the kinds policy
authors make (a misspelt key or id, a key given twice, Latin-1 or a NUL, a deleted rule, an unclosed
quote, a key indented one space off, a tab, a wrong code...), each of which `telpolicy validate` must
report (never "ok"), with the diagnostic code and the words expected. Add a mutation here whenever
an author's mistake gets through.

Usage: us-mutations.py TELPOLICY_BINARY
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
base = (ROOT / "rules" / "us.yaml").read_text(encoding="utf-8")


def once(a, b, s=None):
    s = base if s is None else s
    if a not in s:
        sys.exit(f"us-mutations.py: rules/us.yaml no longer holds {a!r}: update the mutation")
    return s.replace(a, b, 1)


M = {}
M['01-key-typo-mailbx']=once('      mailbox: new-numbers\n','      mailbx: new-numbers\n')
M['02-mailbox-id-typo']=once('      mailbox: new-numbers\n','      mailbox: new-number\n')
M['03-form-id-typo']=once('      forms: [us-loa-toll-free]','      forms: [us-loa-tollfree]')
M['04-dup-mailbox-in-then']=once('      mailbox: new-numbers\n','      mailbox: new-numbers\n      mailbox: porting\n')
M['05-second-rules-section']=base+'\nrules:\n  - id: us.extra\n    then: {mailbox: porting}\n'
M['06-latin1']=base.encode('utf-8').replace(b'Request form.', b'R\xe9quest form.', 1)
M['07-nul']=once('  - id: us.new-numbers\n','  - id: us.new\x00-numbers\n')
M['08-deleted-main-rule']=base[:base.index('  - id: us.new-numbers\n')]+base[base.index('  - id: us.new-numbers.other-types'):]
M['09-unclosed-quote']=once('description: "[S1] gives a new-numbers form for user (subscriber) numbers only."','description: "[S1] gives a new-numbers form for user (subscriber) numbers only.')
M['10-indent-5']=once('      mailbox: new-numbers\n','     mailbox: new-numbers\n')
M['11-indent-7']=once('      mailbox: new-numbers\n','       mailbox: new-numbers\n')
M['12-tab']=once('      mailbox: new-numbers\n','\t  mailbox: new-numbers\n')
M['13-locale-typo']=once('    locale: en-US\n','    locale: en_US\n')
M['14-code-typo']=once('code: action.unsupported','code: action.unsuported')
M['15-dup-rule-id']=once('  - id: us.port-in.toll-free\n','  - id: us.port-in.user-and-service\n')
M['16-dup-form-id']=once('  - id: us-loa-toll-free\n','  - id: us-loa-user-service\n')
M['17-pin-min-gt-max']=once('length: {min: 6, max: 10}','length: {min: 10, max: 6}')
M['18-final-yes']=once('      requires: [form]\n','      requires: [form]\n    final: yes\n')
M['19-country-lower']=once('countries: [US, PR]','countries: [us, PR]')
M['20-action-typo-in-when']=once('      action: port_in\n','      action: port_inn\n')
M['21-number-type-typo']=once('      number_type: [toll_free, unspecified]','      number_type: [tollfree, unspecified]')
M['22-bad-address']=once('address: ptn@microsoft.com','address: ptn.microsoft.com')
M['23-url-not-http']=once('url: "http://download.microsoft.com/download/3/B','url: "htp://download.microsoft.com/download/3/B')
M['24-plugin-mismatch']=once('plugin: us','plugin: uss')
M['25-missing-then']=once('''    then:
      mailbox: porting
      requires: [pin, numbers]
''','''      mailbox: porting
''')
M['26-count-negative']=once('count: {more_than: 999}','count: {more_than: -1}')
M['27-shadowing-final']=once('      requires: [loa, numbers]\n','      requires: [loa, numbers]\n    final: true\n')
M['28-colon-in-value']=once('description: New user (subscriber) numbers are requested with the New Phone Number Request form.','description: Note: new user numbers are requested with the form.')
M['29-unknown-top-key']=once('number_types: [user, service, toll_free]','number_type: [user, service, toll_free]')
M['30-version-list']=once('    version: "3"\n','    version: [3]\n')
M['31-notes-placeholder']=once('you will need to fill out a separate','you will need {count} to fill out a separate {cnt}')
M['32-requires-typo-like']=once('requires: [form]','requires: form]')
M['33-then-empty']=once('''    then:
      mailbox: porting
      requires: [pin, numbers]
''','''    then: {}
''')
M['34-when-unknown-key']=once('      number_type: [user, unspecified]\n','      numbertype: [user, unspecified]\n')
M['35-sets-unknown']=once('sets: [set_pin]','sets: [set_pinn]')

# mutation -> (the diagnostic code expected, words its message must hold)
EXPECTED = {
    '01-key-typo-mailbx': ('rules.invalid', "did you mean 'mailbox'"),
    '02-mailbox-id-typo': ('rules.invalid', "did you mean 'new-numbers'"),
    '03-form-id-typo': ('rules.invalid', "did you mean 'us-loa-toll-free'"),
    '04-dup-mailbox-in-then': ('yaml.duplicate_key', 'given twice'),
    '05-second-rules-section': ('yaml.duplicate_key', "the key 'rules' is given twice"),
    '06-latin1': ('text.encoding', 'not UTF-8'),
    '07-nul': ('text.encoding', 'not a text file'),
    '08-deleted-main-rule': ('analysis.gap', 'matches no rule'),
    '09-unclosed-quote': ('yaml.syntax', 'is not closed on its line'),
    '10-indent-5': ('yaml.syntax', 'indented 5 spaces'),
    '11-indent-7': ('yaml.syntax', 'indented 7 spaces'),
    '12-tab': ('yaml.syntax', 'tab'),
    '13-locale-typo': ('form.locale', 'BCP 47'),
    '14-code-typo': ('rules.invalid', "did you mean 'action.unsupported'"),
    '15-dup-rule-id': ('rules.invalid', 'used twice, first at line'),
    '16-dup-form-id': ('rules.invalid', 'used twice, first at line'),
    '17-pin-min-gt-max': ('rules.invalid', 'min <= max'),
    '18-final-yes': ('rules.invalid', 'true or false'),
    '19-country-lower': ('rules.invalid', 'upper case'),
    '20-action-typo-in-when': ('rules.invalid', "did you mean 'port_in'"),
    '21-number-type-typo': ('rules.invalid', "did you mean 'toll_free'"),
    '22-bad-address': ('rules.invalid', 'must be an e-mail address'),
    '23-url-not-http': ('rules.invalid', 'htp://'),
    '24-plugin-mismatch': ('rules.invalid', "prefixed with the plugin name ('uss.')"),
    '25-missing-then': ('rules.invalid', "missing the required key 'then'"),
    '26-count-negative': ('rules.invalid', 'whole number'),
    '27-shadowing-final': ('analysis.shadowed', 'is shadowed'),
    '28-colon-in-value': ('yaml.syntax', 'must be quoted'),
    '29-unknown-top-key': ('rules.invalid', "did you mean 'number_types'"),
    '30-version-list': ('rules.invalid', 'got a list'),
    '31-notes-placeholder': ('rules.invalid', 'did you mean {count}'),
    '32-requires-typo-like': ('rules.invalid', 'must be a list'),
    '33-then-empty': ('rules.invalid', 'then is empty'),
    '34-when-unknown-key': ('rules.invalid', "did you mean 'number_type'"),
    '35-sets-unknown': ('rules.invalid', "did you mean 'set_pin'"),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="telpolicy-us-mutations-") as folder:
        for name, text in M.items():
            # Named us.yaml, as the engine would read it, in a folder of its own.
            path = Path(folder) / name / "us.yaml"
            path.parent.mkdir()
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
            done = subprocess.run([binary, "validate", "--format", "json", str(path)], capture_output=True, text=True)
            found = json.loads(done.stdout)["diagnostics"]
            code, words = EXPECTED[name]
            hit = [d for d in found if d["code"] == code and words in d["message"]]
            if hit:
                print(f"PASS {name}: {hit[0]['line']}:{hit[0]['column']}: {hit[0]['message'][:100]}")
            else:
                failures += 1
                shown = "; ".join(f"{d['code']}: {d['message'][:120]}" for d in found) or "nothing (validate said ok)"
                print(f"FAIL {name}: expected {code} with {words!r}, got {shown}")
    print(f"{len(M) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
