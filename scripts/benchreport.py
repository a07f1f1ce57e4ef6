#!/usr/bin/env python3
"""Turn make bench's console logs into a Markdown report.

usage: benchreport.py --loops N --reps N --dir RESULTS ARCH/VARIANT=LOG...

Reads the "# bench: rep=R case=C pattern=P loops=L ns=T errors=E" and
"# footprint: ..." lines of each log, and RESULTS/text-ARCH-VARIANT and
RESULTS/loads-ARCH.md.  Every figure is per round trip, net of the
"empty" case (loop and calls), and every ratio is against the upstream
kernel of the same arch in the same run; the spread is the lowest and
highest ratio over the runs, run i of one kernel against run i of the
other.  Exit status 1 if a log lacks a case or any round trip was wrong.
"""
import argparse
import os
import re
import statistics
import sys

BENCH = re.compile(r"# bench: rep=(\d+) case=(\w+) pattern=(\w+) loops=(\d+) "
                   r"ns=(\d+) errors=(\d+)")
FOOT = re.compile(r"# footprint: (.*)")


def parse(log):
    runs, foot = {}, {}
    with open(log, errors="replace") as f:
        for line in f:
            m = BENCH.search(line)
            if m:
                rep, case, pat, loops, ns, err = m.groups()
                if int(err):
                    sys.exit(f"{log}: {case}/{pat} came back wrong {err} times")
                runs.setdefault((case, pat), {})[int(rep)] = \
                    int(ns) / int(loops)
                continue
            m = FOOT.search(line)
            if m:
                foot = dict(kv.split("=") for kv in m.group(1).split())
    return runs, foot


def net(runs, case, pat):
    """Per-run cost of one round trip of @case, net of the empty loop."""
    full, empty = runs.get((case, pat)), runs.get(("empty", pat))
    if not full or not empty:
        return None
    return {r: full[r] - empty[r] for r in full if r in empty}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loops", required=True)
    ap.add_argument("--reps", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    data = {}
    for spec in a.logs:
        key, log = spec.split("=", 1)
        arch, variant = key.split("/")
        data.setdefault(arch, {})[variant] = parse(log)

    print("# make bench: the series against upstream, one run\n")
    print(f"{a.loops} round trips per case and run, {a.reps} runs per kernel. "
          "QEMU ran under TCG with `-icount shift=0`: guest time counts guest "
          "instructions (1 ns = 1 instruction), so the figures are "
          "instructions per round trip, net of the empty loop and calls, "
          "not the time a real CPU would take; a memory load counts as one "
          "instruction, whatever it would cost on hardware.\n")
    print("## Conversions: guest instructions per round trip\n")
    print("| arch | case | pattern | upstream | series | series/upstream "
          "(spread) | classic | classic/upstream |")
    print("|---|---|---|---|---|---|---|---|")
    bad = 0
    for arch, vs in data.items():
        up = vs.get("upstream")
        if not up:
            sys.exit(f"{arch}: no upstream run to compare with")
        cases = sorted({c for c, _ in up[0]} - {"empty"})
        for case in cases:
            for pat in ("seq", "random"):
                base = net(up[0], case, pat)
                row = [arch, case, pat, f"{statistics.median(base.values()):.1f}"]
                for v in ("series", "classic"):
                    if v not in vs:
                        row += ["", ""] if v == "classic" else ["-", "-"]
                        continue
                    got = net(vs[v][0], case, pat)
                    if not got:
                        bad += 1
                        row += ["missing", ""]
                        continue
                    ratios = [got[r] / base[r] for r in got
                              if r in base and base[r] > 0]
                    med = statistics.median(got.values())
                    spread = (f" ({min(ratios):.3f}-{max(ratios):.3f})"
                              if len(ratios) > 1 else "")
                    row += [f"{med:.1f}",
                            f"{statistics.median(ratios):.3f}{spread}"]
                print("| " + " | ".join(row) + " |")

    print("\n## vmlinux text size\n")
    print("| arch | variant | text bytes | change against upstream |")
    print("|---|---|---|---|")
    for arch, vs in data.items():
        sizes = {}
        for v in vs:
            path = os.path.join(a.dir, f"text-{arch}-{v}")
            if os.path.exists(path):
                sizes[v] = int(open(path).read().split()[0])
        for v, size in sizes.items():
            up = sizes.get("upstream")
            change = f"{size - up:+d} ({(size - up) / up * 100:+.3f}%)" if up else ""
            print(f"| {arch} | {v} | {size} | {change} |")

    print("\n## Memmap footprint at boot\n")
    print("| arch | variant | MemTotal MiB | memmap pages | per GiB | "
          "vmemmap page-table pages |")
    print("|---|---|---|---|---|---|")
    for arch, vs in data.items():
        for v, (_, foot) in vs.items():
            if not foot:
                continue
            mib = int(foot["memtotal_kb"]) / 1024
            memmap = int(foot.get("nr_memmap_boot_pages", 0)) + \
                int(foot.get("nr_memmap_pages", 0))
            pgt = foot.get("nr_vmemmap_pgtable_pages", "not counted")
            print(f"| {arch} | {v} | {mib:.0f} | {memmap} | "
                  f"{memmap / (mib / 1024):.0f} | {pgt} |")

    print("\n## Instructions and loads of the probe functions (static)\n")
    print("From the disassembly of each vmlinux (scripts/loadcount.py): a "
          "base load reads the variable upstream keeps the vmemmap base in "
          "(x86_64 `vmemmap_base`, arm64 `memstart_addr`, s390 `vmemmap` "
          "through its GOT slot); other loads are of `page_offset_base`, "
          "`phys_base` and the like, which the series leaves alone. arm64's "
          "`memstart_addr` also gives `__pa()` its offset, so references to "
          "it remain.\n")
    for arch in data:
        path = os.path.join(a.dir, f"loads-{arch}.md")
        if os.path.exists(path):
            print(open(path).read())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
