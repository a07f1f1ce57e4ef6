#!/usr/bin/env python3
"""Summarise the KTAP the guests printed, per arch, against the baseline.

Each console log holds one KTAP document from tests/run.sh: one subtest per
suite, whose own results are indented once.  A test counts as passed,
failed or skipped; a suite that failed without a failing test (crash,
timeout) and a suite that never reported count as one failure each; a log
without results counts as one failure.  A failure that the committed
baseline record (tests/expected/TIER/ARCH.txt) also lists as failing is a known
failure, reported apart and not counted as failed; a test the record shows
passing that did not report at all counts as failed.  With --record, write
that record from these logs instead.  The last line is "N passed, N failed"
and the exit status is 1 on any failure.
"""
import argparse
import os
import re
import sys

TOP_RE = re.compile(r'^(not )?ok (\d+) (\S+)(.*)$')
SUB_RE = re.compile(r'^    (not )?ok (\d+) (.*?)(\s+#\s*(.*))?$')
PLAN_RE = re.compile(r'^1\.\.(\d+)$')


def parse(path):
    """Return ([(suite/test, result)], problems) from one console log."""
    results, problems = [], []
    if not os.path.exists(path):
        return [('run/console', 'fail')], ['no console log']
    lines = [l.rstrip('\n') for l in open(path, errors='replace')]
    try:
        start = max(i for i, l in enumerate(lines) if l == 'KTAP version 1')
    except ValueError:
        return [('run/console', 'fail')], \
            ['no KTAP results (did the guest boot?)']
    plan, seen, subs = None, 0, []
    for l in lines[start + 1:]:
        m = PLAN_RE.match(l)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = SUB_RE.match(l)
        if m:
            directive = (m.group(5) or '').upper()
            res = 'fail' if m.group(1) else \
                'skip' if directive.startswith('SKIP') else 'pass'
            subs.append((m.group(3), res))
            continue
        m = TOP_RE.match(l)
        if m:
            seen += 1
            suite = m.group(3)
            for name, res in subs:
                results.append(('%s/%s' % (suite, name), res))
            if m.group(1) and not any(r == 'fail' for _, r in subs):
                results.append(('%s/%s' % (suite, 'suite'), 'fail'))
                problems.append('%s: %s' % (suite, m.group(4).strip(' #')))
            subs = []
    if plan is None or seen < plan:
        missing = (plan or 1) - seen
        results.append(('run/suites-not-reported', 'fail'))
        problems.append('%d suite(s) never reported' % missing)
    return results, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--record', action='store_true',
                    help='write tests/expected/ARCH.txt from the logs')
    ap.add_argument('--expected', default='tests/expected')
    ap.add_argument('logs', nargs='+', help='ARCH=console.log ...')
    opt = ap.parse_args()
    tot = {'pass': 0, 'fail': 0, 'skip': 0, 'known': 0}
    for spec in opt.logs:
        arch, path = spec.split('=', 1)
        results, problems = parse(path)
        ref = os.path.join(opt.expected, arch + '.txt')
        if opt.record:
            os.makedirs(opt.expected, exist_ok=True)
            with open(ref, 'w') as f:
                f.write('# %s baseline: result per test, from %s\n'
                        % (arch, os.path.basename(path)))
                for name, res in results:
                    f.write('%s %s\n' % (res, name))
            print('recorded %d results in %s' % (len(results), ref))
            continue
        known, passed_before = set(), []
        # A boot option or flavour of an arch (x86_64+kasan) runs a set of
        # suites of its own: the arch's record names its known failures,
        # but not which tests it must run.
        own = os.path.exists(ref)
        if not own and '+' in arch:
            ref = os.path.join(opt.expected, arch.split('+')[0] + '.txt')
        if os.path.exists(ref):
            for l in open(ref):
                w = l.rstrip('\n').split(' ', 1)
                if len(w) == 2 and w[0] == 'fail':
                    known.add(w[1])
                elif len(w) == 2 and w[0] == 'pass' and own:
                    passed_before.append(w[1])
        # A test that passed on the baseline and did not report now has
        # vanished: that is a failure, not a test fewer.
        seen = set(name for name, _ in results)
        for name in passed_before:
            if name not in seen:
                results.append((name, 'fail'))
                problems.append('%s: passed on the baseline, did not run' % name)
        n = {'pass': 0, 'fail': 0, 'skip': 0, 'known': 0}
        failed = []
        for name, res in results:
            if res == 'fail' and name in known:
                res = 'known'
            n[res] += 1
            if res == 'fail':
                failed.append(name)
        for k in n:
            tot[k] += n[k]
        print('%-7s %4d passed, %3d failed, %3d skipped, %3d known failures'
              % (arch + ':', n['pass'], n['fail'], n['skip'], n['known']))
        for p in problems:
            print('         %s' % p)
        for f in failed:
            print('         FAILED %s' % f)
    if opt.record:
        return 0
    print('skipped: %d, known baseline failures: %d'
          % (tot['skip'], tot['known']))
    print('%d passed, %d failed' % (tot['pass'], tot['fail']))
    return 1 if tot['fail'] else 0


if __name__ == '__main__':
    sys.exit(main())
