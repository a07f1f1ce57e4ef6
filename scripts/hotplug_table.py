#!/usr/bin/env python3
"""The memory hotplug table of a make test run, from the guests' tallies.

usage: hotplug_table.py ARCH=console.log ...

Reads the "# tally: probe ...", "# tally: faults ..." and "# tally: stress
..." lines that tests/guest/probe.sh, hotplug_faults.sh and
hotplug_stress.sh print, and prints one Markdown row per arch: blocks
added through sysfs probe, onlined and offlined (every online type),
blocks removed again by the add/online/offline/remove cycles, bad inputs
tried, faults injected into cycles (each one survived: nothing left
behind), stress cycles run beside a pfn walker and compaction, and the
memmap and vmemmap page-table pages leaked over all of it.
"""
import re
import sys

TALLY = re.compile(r"# tally: (probe|faults|stress) (.*)")


def main():
    rows = []
    for spec in sys.argv[1:]:
        arch, path = spec.split("=", 1)
        if "+" in arch:
            continue			# the extra boots run no hotplug suites
        t = {}
        try:
            for line in open(path, errors="replace"):
                m = TALLY.search(line)
                if m:
                    t[m.group(1)] = dict(w.split("=") for w in m.group(2).split())
        except OSError:
            pass
        p, f, s = t.get("probe", {}), t.get("faults", {}), t.get("stress", {})
        got = lambda d, k: int(d[k]) if k in d else None
        removed = None
        if f or s:
            removed = 2 * ((got(s, "done") or 0) + (got(f, "through") or 0) + 1)
        leaked = None
        if "leaked_pages" in f or "leaked_pages" in s:
            leaked = (got(f, "leaked_pages") or 0) + (got(s, "leaked_pages") or 0)
        survived = None
        if f:
            survived = got(f, "injected") if got(f, "drift") == 0 else 0
        cells = [got(p, "added"), got(p, "onlined"), got(p, "offlined"), removed,
                 got(p, "bad_inputs"), survived,
                 got(s, "done"), leaked]
        rows.append([arch] + ["-" if c is None else str(c) for c in cells])
    print("| arch | probed | onlined | offlined | removed | bad inputs "
          "| injected faults survived | stress cycles | leaked pages |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
