# Front end of the harness: every target is one script under scripts/.
# ARCH=x86_64|arm64|s390, VARIANT=series|baseline|upstream|classic.  See README.md.

ARCH ?= x86_64
VARIANT ?= series
S := scripts

.PHONY: help setup tree build initramfs boot shell run test test-full \
	record-baseline bench loadcount export checkpatch bisect clean

help:
	@sed -n '/^## Commands/,/^## /p' README.md | sed '$$d'

setup:
	@$(S)/setup.sh

tree: setup
	@$(S)/tree.sh $(if $(FORCE),--force)

build: tree
	@$(S)/build.sh $(ARCH) $(VARIANT)

initramfs: build
	@$(S)/initramfs.sh $(ARCH) $(VARIANT)

# Boot and run SUITES (default: boot) on ARCH.
boot: initramfs
	@$(S)/boot.sh $(ARCH) $(VARIANT)

shell: initramfs
	@$(S)/boot.sh --shell $(ARCH) $(VARIANT)

# Newcomer's tour: memory model, vmemmap layout, hot-add, memmap growth.
run: initramfs
	@SUITES=tour VERBOSE=1 $(S)/boot.sh $(ARCH) $(VARIANT)

# All arches unless ARCH is given on the command line.
test:
	@TIER=quick VARIANT=$(VARIANT) $(S)/test.sh $(if $(filter command line,$(origin ARCH)),$(ARCH))

test-full:
	@TIER=full VARIANT=$(VARIANT) $(S)/test.sh $(if $(filter command line,$(origin ARCH)),$(ARCH))

# Write tests/expected/TIER/ from a baseline run: the no-regression reference.
TIER ?= quick
record-baseline:
	@RECORD=1 TIER=$(TIER) VARIANT=baseline $(S)/test.sh $(if $(filter command line,$(origin ARCH)),$(ARCH))

# The series against upstream (and classic SPARSEMEM on x86_64), one run;
# SMOKE=1 for the quick check that .ci/run makes.
bench:
	@$(S)/bench.sh $(if $(filter command line,$(origin ARCH)),$(ARCH))

# Instructions and loads of the memmap_probe_*() functions: upstream vs series.
loadcount: tree
	@$(S)/build.sh $(ARCH) upstream && $(S)/build.sh $(ARCH) series && \
	$(S)/loadcount.sh $(ARCH)

export:
	@$(S)/export.sh

checkpatch: tree
	@$(S)/checkpatch.sh

# Build every patch of the series in turn (ARCH, default x86_64).
bisect: build
	@$(S)/bisect.sh $(ARCH)

clean:
	rm -rf build
