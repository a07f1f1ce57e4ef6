#!/usr/bin/env python3
"""Turn make bench's console logs into a Markdown report.

usage: benchreport.py --loops N --reps N --dir RESULTS \
                      ARCH/VARIANT=LOG ARCH/VARIANT@SIZE=LOG ...

ARCH/VARIANT logs come from the benchmark boot (conversions, hotplug,
workloads, footprint), ARCH/VARIANT@SIZE logs from boots with SIZE of RAM
(boot cost and footprint only).  Also reads RESULTS/text-ARCH-VARIANT and
RESULTS/loads-ARCH.md, and writes RESULTS/ratios.dat for the chart.

Every ratio is against the upstream kernel of the same arch in the same
run; where there are several runs, the spread is the lowest and highest
ratio of run i of one kernel to run i of the other.  Exit status 1 if a
log lacks what it should have or any round trip came back wrong.
"""
import argparse
import os
import re
import statistics
import sys

CONV = re.compile(r"# bench: rep=(\d+) case=(\w+) pattern=(\w+) loops=(\d+) "
                  r"ns=(\d+) errors=(\d+)")
HOTPLUG = re.compile(r"# bench: hotplug rep=(\d+) (.*)")
WORK = re.compile(r"# bench: workload rep=(\d+) (.*)")
BOOT = re.compile(r"# bench: boot (.*)")
LAYOUT = re.compile(r"# bench: layout (.*)")
FOOT = re.compile(r"# footprint: (.*)")
COMPACT = re.compile(r"# bench: compaction mode=(\w+) order=(\d+) "
                     r"tries=(\d+) got=(\d+) cycles=(\d+)(?: trial=(\d+))?"
                     r"(?: stalls=(\d+) compacted=(\d+))?")
VARIANTS = ("upstream", "series", "classic")


def kv(text):
    return {k: v for k, v in (w.split("=", 1) for w in text.split() if "=" in w)}


class Log:
    def __init__(self, path):
        self.conv, self.hotplug, self.work = {}, {}, {}
        self.boot, self.foot, self.layout = {}, {}, ""
        self.compact = {}
        with open(path, errors="replace") as f:
            for line in f:
                m = CONV.search(line)
                if m:
                    rep, case, pat, loops, ns, err = m.groups()
                    if int(err):
                        sys.exit(f"{path}: {case}/{pat} came back wrong "
                                 f"{err} times")
                    self.conv.setdefault((case, pat), {})[int(rep)] = \
                        int(ns) / int(loops)
                    continue
                for rx, into in ((HOTPLUG, self.hotplug), (WORK, self.work)):
                    m = rx.search(line)
                    if m:
                        into[int(m.group(1))] = {
                            k: float(v) for k, v in kv(m.group(2)).items()
                            if re.fullmatch(r"\d+", v)}
                        break
                m = COMPACT.search(line)
                if m:
                    (mode, order, tries, got, cycles, trial, stalls,
                     compacted) = m.groups()
                    if mode != "warmup":
                        self.compact.setdefault((int(order), mode), {})[
                            int(trial or 1)] = \
                            (int(got), int(tries), int(cycles),
                             int(stalls or 0), int(compacted or 0))
                    continue
                m = LAYOUT.search(line)
                if m:
                    self.layout = m.group(1).strip()
                m = BOOT.search(line)
                if m:
                    self.boot = {k: int(v) for k, v in kv(m.group(1)).items()}
                m = FOOT.search(line)
                if m:
                    self.foot = kv(m.group(1))

    def net(self, case, pat, raw=False):
        """Per-run cost of one round trip of @case, net of the empty loop."""
        full, empty = self.conv.get((case, pat)), self.conv.get(("empty", pat))
        if raw:
            return full
        if not full or not empty:
            return None
        return {r: full[r] - empty[r] for r in full if r in empty}


def ratio(got, base):
    """Median of @got, median ratio to @base and its spread, as text."""
    rs = [got[r] / base[r] for r in got if r in base and base[r] > 0]
    if not rs:
        return "-", None
    spread = f" ({min(rs):.3f}-{max(rs):.3f})" if len(rs) > 1 else ""
    return f"{statistics.median(rs):.3f}{spread}", statistics.median(rs)


def per_rep(runs, key):
    return {r: v[key] for r, v in runs.items() if key in v}


def ratio_rows(arch, vs, attr, keys, div, fmt):
    """One row per key of the per-run dicts in Log.@attr: upstream's median
    divided by @div, and each other variant's with its ratio to upstream."""
    up = getattr(vs["upstream"], attr)
    for key in keys:
        base = per_rep(up, key)
        row = [arch, key.rsplit("_", 1)[0],
               fmt.format(statistics.median(base.values()) / div)]
        for v in ("series", "classic"):
            got = per_rep(getattr(vs[v], attr), key) if v in vs else {}
            if not got:
                row += ["-", "-"]
                continue
            row += [fmt.format(statistics.median(got.values()) / div),
                    ratio(got, base)[0]]
        print("| " + " | ".join(row) + " |")


def conversions(runs, loops, chart, raw=False):
    """Print the conversions table of @runs; return the number missing."""
    bad = 0
    print("| arch | case | pattern | upstream | series | series/upstream | "
          "classic | classic/upstream |")
    print("|---|---|---|---|---|---|---|---|")
    for arch, vs in runs.items():
        up = vs.get("upstream")
        if not up or not up.conv:
            if int(loops):
                print(f"| {arch} | no upstream figures | | | | | | |")
                bad += 1
            continue
        cases = {c for c, _ in up.conv}
        for case in sorted(cases if raw else cases - {"empty"}):
            for pat in ("seq", "random"):
                base = up.net(case, pat, raw)
                row = [arch, case, pat,
                       f"{statistics.median(base.values()):.1f}"]
                for v in ("series", "classic"):
                    got = vs[v].net(case, pat, raw) if v in vs else None
                    if not got:
                        bad += v == "series"
                        row += ["-", "-"]
                        continue
                    text, med = ratio(got, base)
                    row += [f"{statistics.median(got.values()):.1f}", text]
                    if chart is not None and pat == "random":
                        chart.append((f"{arch}:{case}:{v}", med))
                print("| " + " | ".join(row) + " |")
    return bad


def compaction(runs):
    """The compaction table.  A missing trial (the guest skipped it when
    the OOM killer took its fragmenter) shows as such; it fails nothing.
    A void trial (no direct compaction ran: compact_stall unchanged) is
    counted as void and left out of the rates."""
    print("\n## Compaction beside hotplug cycles: high-order allocations\n")
    print("In memory fragmented to single free pages (tests/helpers/"
          "fragment.c, which first takes and holds whole all free memory "
          "but that and a margin above the watermarks, so that a trial's "
          "size does not depend on the RAM and what it asks for is more "
          "than the unfragmented margin holds), allocations of half the "
          "free memory in blocks of the "
          "order, each retrying compaction until it makes no progress "
          "(__GFP_RETRY_MAYFAIL, the retry policy of hugetlb's pool; not "
          "movable, so they compact the boot zones beside the cycle, not "
          "the zone it changes), quiet and while the benchmark's hotplug "
          "cycle adds, onlines (movable), offlines and removes its block "
          "over and over; proactive compaction off.  Several trials per "
          "mode, each fragmenting afresh, in the order quiet busy busy "
          "quiet ..., after one warm-up trial not counted.  A count, not a "
          "time.  Rates are all successes over all tries of the mode; "
          "pairs is the range of busy/quiet over the trials' pairs.  The "
          "target (issue 13): busy within 10% of quiet, i.e. busy/quiet "
          ">= 0.90.  Stalls and successes are /proc/vmstat's "
          "compact_stall and compact_success over the allocations of "
          "each mode (its counted trials): that direct compaction ran, and "
          "made blocks, beside the cycles too; a trial in which it did not "
          "run is void, left out and counted under trials.\n")
    print("| arch | order | variant | trials | quiet | busy | "
          "cycles beside | busy/quiet | pairs | >= 0.90 | "
          "stalls/successes quiet | busy |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for arch, vs in runs.items():
        orders = sorted({o for lg in vs.values() for o, _ in lg.compact})
        for order in orders:
            for v in VARIANTS:
                lg = vs.get(v)
                if not lg or not lg.compact:    # classic: not run
                    continue
                q = lg.compact.get((order, "quiet"), {})
                b = lg.compact.get((order, "busy"), {})
                if not q or not b:
                    print(f"| {arch} | {order} | {v} | missing | | | | | "
                          "| | | |")
                    continue
                # A trial in which direct compaction never ran measured
                # nothing: void, left out.
                void = sum(1 for d in (q, b) for x in d.values() if not x[3])
                q = {t: x for t, x in q.items() if x[3]}
                b = {t: x for t, x in b.items() if x[3]}
                if not q or not b:
                    print(f"| {arch} | {order} | {v} | void {void} | | | | "
                          "| | | | |")
                    continue
                qg, qt = (sum(x[i] for x in q.values()) for i in (0, 1))
                bg, bt = (sum(x[i] for x in b.values()) for i in (0, 1))
                cyc = sum(x[2] for x in b.values())
                qs, qc, bs, bc = (sum(x[i] for x in d.values())
                                  for d, i in ((q, 3), (q, 4), (b, 3), (b, 4)))
                rq, rb = qg / qt, bg / bt
                r = rb / rq if rq else float("nan")
                pairs = [(b[t][0] / b[t][1]) / (q[t][0] / q[t][1])
                         for t in sorted(set(q) & set(b)) if q[t][0]]
                span = (f"{min(pairs):.3f}-{max(pairs):.3f}" if pairs
                        else "-")
                trials = (f"{len(q)}+{len(b)}" if len(q) != len(b)
                          else str(len(q)))
                if void:
                    trials += f" (void {void})"
                print(f"| {arch} | {order} | {v} | {trials} | {qg}/{qt} "
                      f"({rq:.1%}) | {bg}/{bt} ({rb:.1%}) | {cyc} | "
                      f"{r:.3f} | {span} | "
                      f"{'yes' if r >= 0.9 else 'no'} | {qs}/{qc} | "
                      f"{bs}/{bc} |")
    return 0


def fix_count():
    """How many patches of patches/series come before its marker line."""
    series = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "..", "patches", "series")
    n = 0
    with open(series) as f:
        for line in f:
            if line.startswith("# The fixes end here"):
                return n
            if line.strip() and not line.startswith("#"):
                n += 1
    return n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--loops", required=True)
    ap.add_argument("--reps", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("logs", nargs="+")
    a = ap.parse_args()

    runs, sized, wall = {}, {}, {}
    for spec in a.logs:
        key, path = spec.split("=", 1)
        arch, variant = key.split("/")
        if variant.endswith("%wall"):
            wall.setdefault(arch, {})[variant[:-5]] = Log(path)
        elif "@" in variant:
            variant, size = variant.split("@")
            sized.setdefault(arch, {}).setdefault(size, {})[variant] = Log(path)
        else:
            runs.setdefault(arch, {})[variant] = Log(path)
    bad = 0
    chart = []

    print("# make bench: the series against upstream\n")
    print(f"{a.loops} round trips per case and run, {a.reps} run(s) per "
          "kernel; upstream is the base with the series' fixes (patches "
          f"1-{fix_count()}) and the testing patches, classic the series with "
          "CONFIG_SPARSE_VIRTUAL=n, i.e. SPARSEMEM without a virtual memmap "
          "(x86_64 only). "
          "QEMU ran under TCG with `-icount shift=0,sleep=off`: guest time "
          "counts guest instructions (1 ns = 1 instruction), so the figures "
          "are instruction counts, deterministic from run to run, not the "
          "time a real CPU would take: a memory load counts as one "
          "instruction whatever it would cost on hardware, and caches and "
          "TLBs play no part.\n")

    print("## Conversions: guest instructions per round trip\n")
    print("Net of the empty loop and calls; each round trip calls two "
          "noinline probes (one for folio_pfn, pfn_valid, "
          "pfn_to_online_page, which calls the exported function).\n")
    bad += conversions(runs, a.loops, chart)
    if wall:
        print("\n## Conversions: TCG nanoseconds per round trip (no -icount)\n")
        print("The same, timed on QEMU's own clock instead, loop and "
              "calls included (TCG's clock is too noisy to subtract the "
              "empty loop): an emulated memory load costs TCG a softmmu "
              "TLB lookup, so this shows loads that instruction counts "
              "hide - for an emulator, not for a CPU.  Compare the "
              "empty rows first: where they differ, the translated code's "
              "layout and the host's load move the figures more than the "
              "conversions do, and the row says nothing.\n")
        bad += conversions(wall, a.loops, None, raw=True)
    print("\n## Hotplug: guest microseconds per memory block\n")
    print("| arch | step | upstream | series | series/upstream | classic | "
          "classic/upstream |")
    print("|---|---|---|---|---|---|---|")
    for arch, vs in runs.items():
        up = vs.get("upstream")
        if not up or not up.hotplug:
            continue
        blocks = next(iter(up.hotplug.values()))["blocks"]
        ratio_rows(arch, vs, "hotplug",
                   ("add_ns", "online_ns", "offline_ns", "remove_ns"),
                   blocks * 1000, "{:.0f}")

    print("\n## Whole-system work: guest milliseconds\n")
    print("Reading /proc/kpageflags (every pfn to its page) and writing "
          "/proc/sys/vm/compact_memory (compaction scans pfns).\n")
    print("| arch | work | upstream | series | series/upstream | classic | "
          "classic/upstream |")
    print("|---|---|---|---|---|---|---|")
    for arch, vs in runs.items():
        up = vs.get("upstream")
        if not up or not up.work:
            continue
        ratio_rows(arch, vs, "work", ("kpageflags_us", "compact_us"),
                   1000, "{:.1f}")

    if any(lg.compact for vs in runs.values() for lg in vs.values()):
        bad += compaction(runs)

    if sized:
        print("\n## The memmap at boot, by size of RAM\n")
        print("get_cycles() spent in sparse_init() (populate) and "
              "memmap_init() (initialise), one boot each, and the memmap "
              "and its page tables per GiB of RAM; the validity map's pages "
              "and page tables (nr_validmap_pages, not counting its shared "
              "zero page) where the kernel has one.\n")
        print("| arch | RAM | variant | populate | ratio | initialise | ratio "
              "| memmap pages/GiB | vmemmap page-table pages | vmemmap leaves "
              "| validity map pages |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for arch, sizes in sized.items():
            for size, vs in sizes.items():
                up = vs.get("upstream")
                for v in VARIANTS:
                    if v not in vs:
                        continue
                    lg = vs[v]
                    if not lg.boot or not lg.foot:
                        bad += 1
                        print(f"| {arch} | {size} | {v} | missing | | | | | | | |")
                        continue
                    row = [arch, size, v]
                    for k in ("populate_cycles", "init_cycles"):
                        row.append(str(lg.boot[k]))
                        b = up.boot.get(k) if up else None
                        row.append(f"{lg.boot[k] / b:.3f}" if b else "-")
                    gib = int(lg.foot["memtotal_kb"]) / 2**20
                    memmap = int(lg.foot.get("nr_memmap_boot_pages", 0)) + \
                        int(lg.foot.get("nr_memmap_pages", 0))
                    row += [f"{memmap / gib:.0f}",
                            lg.foot.get("nr_vmemmap_pgtable_pages",
                                        "not counted"),
                            " + ".join(lg.layout.split(", ")[:2]) or "-",
                            lg.foot.get("nr_validmap_pages", "-")]
                    print("| " + " | ".join(row) + " |")

    native = os.path.join(a.dir, "native-x86.txt")
    if os.path.exists(native):
        got = {}
        for line in open(native):
            d = kv(line)
            got.setdefault(d["shape"], {})[int(d["rep"])] = \
                float(d["ns_per_round_trip"])
        print("\n## The x86_64 code shapes on this machine's CPU (native)\n")
        print("bench/native-x86.c runs upstream's and the series' "
              "instruction sequences for pfn_to_page() + page_to_pfn() "
              "(from the probes' disassembly) natively on the host CPU, "
              "two noinline calls per round trip as in the kernel "
              "benchmark, and an empty call pair for the overhead: no "
              "emulation, but a user-space replica on a shared 2-core "
              "virtual machine, not the kernel.\n")
        print("| shape | ns per round trip, calls included (median) | "
              "ratio to upstream |")
        print("|---|---|---|")
        up = got.get("upstream", {})
        for shape in ("empty", "upstream", "series"):
            vals = got.get(shape, {})
            if vals:
                print(f"| {shape} | {statistics.median(vals.values()):.3f} | "
                      f"{ratio(vals, up)[0]} |")

    print("\n## vmlinux text size\n")
    print("| arch | variant | text bytes | change against upstream |")
    print("|---|---|---|---|")
    for arch, vs in runs.items():
        sizes = {}
        for v in vs:
            path = os.path.join(a.dir, f"text-{arch}-{v}")
            if os.path.exists(path):
                sizes[v] = int(open(path).read().split()[0])
        up = sizes.get("upstream")
        for v, size in sizes.items():
            change = (f"{size - up:+d} ({(size - up) / up * 100:+.3f}%)"
                      if up else "")
            print(f"| {arch} | {v} | {size} | {change} |")

    print("\n## Instructions and loads of the probe functions (static)\n")
    print("From the disassembly of each vmlinux (scripts/loadcount.py). A "
          "base load reads the variable upstream keeps the vmemmap base in "
          "(x86_64 `vmemmap_base`, arm64 `memstart_addr`, s390 `vmemmap`, "
          "through its GOT slot); the other loads are of `page_offset_base`, "
          "`phys_base`, `__identity_base` and the like, or of "
          "`mem_section` with classic SPARSEMEM. arm64's `memstart_addr` "
          "also gives `__pa()` its offset, so references to it remain.\n")
    for arch in runs:
        path = os.path.join(a.dir, f"loads-{arch}.md")
        if os.path.exists(path):
            print(open(path).read())

    with open(os.path.join(a.dir, "ratios.dat"), "w") as f:
        for i, (label, med) in enumerate(chart):
            if med is not None:
                f.write(f"{i} \"{label}\" {med:.4f}\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
