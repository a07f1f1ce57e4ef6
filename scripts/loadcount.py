#!/usr/bin/env python3
"""Count instructions and memory loads in the memmap_probe_*() functions of
vmlinux images, and the references to the vmemmap base variable in all of
their text.

usage: loadcount.py --arch ARCH --cross PREFIX --base-sym SYM \
                    LABEL=VMLINUX [LABEL=VMLINUX ...]

Prints one Markdown table row per probe: for each image the instructions,
the data loads (stack slots excluded) and the loads of the vmemmap base,
with those of any function the probe calls directly (one level) added.
A "base load" is an instruction that reads the base variable (x86_64,
arm64) or its GOT slot (s390, where the value is then read through it);
the count of such instructions over the whole text is the last row.
Exit status 1 if a probe is missing from an image.
"""
import argparse
import re
import subprocess
import sys

PROBES = ["pfn_to_page", "page_to_pfn", "virt_to_page", "page_address",
          "folio_pfn", "pfn_valid", "pfn_to_online_page"]
# Out-of-line fallbacks that a static key keeps off once the kernel is up
# (pfn_valid() asks the section tables only until the validity map is in
# use): not counted in with the probe that calls them.
COLD = {"pfn_valid_sections"}

FUNC_RE = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN_RE = re.compile(r"^\s*([0-9a-f]+):\t(\S+)\s*(.*)$")


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True,
                          text=True).stdout


def symbols(cross, image):
    syms = {}
    for line in run([cross + "nm", image]).splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms.setdefault(parts[2], int(parts[0], 16))
    return syms


def got_slots(cross, image, target):
    """Addresses of the .got entries that hold @target (s390 -fPIC)."""
    slots = set()
    out = run([cross + "objdump", "-s", "-j", ".got", image])
    for line in out.splitlines():
        m = re.match(r"^ ([0-9a-f]+) ((?:[0-9a-f]{8} ?){1,4})", line)
        if not m:
            continue
        addr = int(m.group(1), 16)
        words = m.group(2).split()
        for i in range(0, len(words) - 1, 2):
            if int(words[i] + words[i + 1], 16) == target:
                slots.add(addr + 4 * i)
    return slots


def functions(cross, image):
    """Yield (name, [(mnemonic, operands)]) for every function of the text."""
    proc = subprocess.Popen([cross + "objdump", "-d", "--no-show-raw-insn",
                             image], stdout=subprocess.PIPE, text=True)
    name, insns = None, []
    for line in proc.stdout:
        line = line.rstrip("\n")
        m = FUNC_RE.match(line)
        if m:
            if name:
                yield name, insns
            name, insns = m.group(2), []
            continue
        m = INSN_RE.match(line)
        if m and name:
            insns.append((m.group(2), m.group(3)))
    if name:
        yield name, insns
    proc.wait()


def target(ops):
    """The address objdump resolved for a pc-relative operand, if any."""
    m = re.search(r"(?:#\s*|,\s*|\s)([0-9a-f]{6,16}) <[^>]+>", ops)
    return int(m.group(1), 16) if m else None


PADDING = re.compile(r"^(nop\w*|int3|udf|\.long|\.word|\.byte|nopr|bcr|data16|cs)$")
CALL = re.compile(r"^(call|bl|brasl)$")
TAIL = re.compile(r"^(jmp|b|jg)$")


def padding(mn, ops):
    """Alignment filler between functions, not code that runs."""
    return bool(PADDING.match(mn)) or re.search(r"\bnop", ops) is not None


def callee(mn, ops):
    """The function a direct call goes to, if this is one, or a tail call:
    an unconditional jump to the start of a function (a jump within one
    names an offset, <f+0x..>)."""
    if not CALL.match(mn) and not TAIL.match(mn):
        return None
    m = re.search(r"<([^>+]+)>", ops)
    return m.group(1) if m else None


class X86:
    stack = re.compile(r"\(%[er]sp")

    def scan(self, insns, base):
        n = loads = based = 0
        for mn, ops in insns:
            if padding(mn, ops):
                continue
            n += 1
            ops = ops.split("#")[0]
            if "(" not in ops or mn.startswith(("lea", "nop", "prefetch")):
                continue
            if mn in ("call", "ret", "push", "pop", "jmp") or \
               self.stack.search(ops):
                continue
            last = ops.rsplit(",", 1)[-1]
            if mn.startswith("mov") and "(" in last:
                continue			# a store
            loads += 1
        for mn, ops in insns:
            if target(ops) in base and not mn.startswith("lea"):
                based += 1
        return n, loads, based

    def refs(self, insns, base):
        return sum(1 for mn, ops in insns
                   if target(ops) in base and not mn.startswith("lea"))


class Arm64:
    def _walk(self, insns, base):
        regs, hits = {}, 0
        for mn, ops in insns:
            args = [a.strip() for a in ops.split(",")]
            if mn == "adrp":
                regs[args[0]] = target(ops)
                continue
            if mn == "add" and len(args) == 3 and args[1] in regs and \
               args[2].startswith("#"):
                regs[args[0]] = (regs[args[1]] or 0) + int(args[2][1:], 0)
                continue
            m = re.search(r"\[(x\d+)(?:, #(-?\w+))?\]", ops)
            if mn.startswith("ld") and m and m.group(1) in regs:
                addr = (regs[m.group(1)] or 0) + int(m.group(2) or "0", 0)
                if addr in base:
                    hits += 1
        return hits

    def scan(self, insns, base):
        n = loads = 0
        for mn, ops in insns:
            if padding(mn, ops) or mn in ("paciasp", "autiasp", "bti",
                                          "hint"):
                continue
            n += 1
            if mn.startswith("ld") and "[sp" not in ops:
                loads += 1
        return n, loads, self._walk(insns, base)

    def refs(self, insns, base):
        return self._walk(insns, base)


class S390:
    rel_loads = re.compile(r"^(l|ll|c|cl)(g|gf|gh|h|f)?(f|h)?rl$")
    mem = re.compile(r"\(%r(\d+)\)|\(%r\d+,%r(\d+)\)")
    no_load = re.compile(r"^(la|lay|larl|lra|st\w*|brasl|bras|j\w*|br\w*)$")

    def _is_load(self, mn, ops):
        if self.rel_loads.match(mn) and mn != "larl":
            return True
        m = self.mem.search(ops)
        if not m or self.no_load.match(mn):
            return False
        reg = m.group(1) or m.group(2)
        return reg != "15"			# %r15: the stack

    def scan(self, insns, base):
        n = loads = based = 0
        for mn, ops in insns:
            if padding(mn, ops):
                continue
            n += 1
            if self._is_load(mn, ops):
                loads += 1
            if mn != "larl" and target(ops) in base:
                based += 1
        return n, loads, based

    def refs(self, insns, base):
        return sum(1 for mn, ops in insns
                   if mn != "larl" and target(ops) in base)


def analyse(arch, cross, image, base_sym):
    syms = symbols(cross, image)
    if base_sym not in syms:
        sys.exit(f"loadcount: {base_sym} is not in {image}")
    base = {syms[base_sym]}
    if arch == "s390":
        base |= got_slots(cross, image, syms[base_sym])
    isa = {"x86_64": X86, "arm64": Arm64, "s390": S390}[arch]()
    probes, calls, refs = {}, {}, 0
    for name, insns in functions(cross, image):
        refs += isa.refs(insns, base)
        m = re.match(r"memmap_probe_(\w+?)(\.\w+)*$", name)
        if m and m.group(1) in PROBES:
            probes[m.group(1)] = list(isa.scan(insns, base))
            calls[m.group(1)] = [c for c in (callee(mn, ops) for mn, ops in insns) if c]
    # A conversion the compiler kept out of line (pfn_valid() on x86, say)
    # is counted in with the probe that calls it: one level deep.
    wanted = {c for cs in calls.values() for c in cs} - COLD
    if wanted:
        found = {name: isa.scan(insns, base)
                 for name, insns in functions(cross, image) if name in wanted}
        for probe, cs in calls.items():
            for c in cs:
                if c in found:
                    probes[probe] = [a + b for a, b in
                                     zip(probes[probe], found[c])]
    return probes, refs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", required=True)
    ap.add_argument("--cross", default="")
    ap.add_argument("--base-sym", required=True)
    ap.add_argument("images", nargs="+")
    a = ap.parse_args()

    results = []
    for spec in a.images:
        label, image = spec.split("=", 1)
        results.append((label, *analyse(a.arch, a.cross, image, a.base_sym)))

    head = "| arch | helper | " + " | ".join(
        f"{label} insns | {label} loads | {label} base loads"
        for label, _, _ in results) + " |"
    print(head)
    print("|" + "---|" * (2 + 3 * len(results)))
    missing = 0
    for probe in PROBES:
        row = [a.arch, probe]
        for label, probes, _ in results:
            if probe not in probes:
                row += ["missing"] * 3
                missing += 1
            else:
                row += [str(v) for v in probes[probe]]
        print("| " + " | ".join(row) + " |")
    row = [a.arch, f"{a.base_sym} refs in text"]
    for _, _, refs in results:
        row += ["", "", str(refs)]
    print("| " + " | ".join(row) + " |")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
