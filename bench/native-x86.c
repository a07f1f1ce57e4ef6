// SPDX-License-Identifier: GPL-2.0
/*
 * The two x86_64 code shapes of pfn_to_page() + page_to_pfn(), run natively
 * on the host CPU: upstream's, which loads the vmemmap base from memory
 * (vmemmap_base, RIP-relative), and the series', which has it as a 64-bit
 * immediate (movabs).  The instruction sequences are those of the
 * memmap_probe_*() functions in the two vmlinux images; here they are
 * called through the same kind of noinline functions, over the same kind
 * of array of pfns, so the difference is the base alone.
 *
 * usage: native-x86 LOOPS REPS   prints "shape=... rep=N ns_per_round_trip=..."
 * for the empty call pair, upstream's and the series' shapes, calls included.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define PFNS 4096
#define BASE 0xffea000000000000UL	/* a vmemmap base as KASLR picks one */

uintptr_t vmemmap_base = BASE;		/* upstream: the base in memory */

/* upstream: shl $6,%rdi; add vmemmap_base(%rip),%rdi */
__attribute__((noinline)) static uintptr_t up_pfn_to_page(uintptr_t pfn)
{
	uintptr_t r;

	asm volatile("shl $6, %1\n\tmov %1, %0\n\tadd vmemmap_base(%%rip), %0"
		     : "=r" (r), "+r" (pfn));
	return r;
}

/* upstream: mov %rdi,%rax; sub vmemmap_base(%rip),%rax; sar $6,%rax */
__attribute__((noinline)) static uintptr_t up_page_to_pfn(uintptr_t page)
{
	uintptr_t r = page;

	asm volatile("sub vmemmap_base(%%rip), %0\n\tsar $6, %0" : "+r" (r));
	return r;
}

/* series: shl $6,%rdi; movabs $BASE,%rax; add %rdi,%rax */
__attribute__((noinline)) static uintptr_t se_pfn_to_page(uintptr_t pfn)
{
	uintptr_t r;

	asm volatile("shl $6, %1\n\tmovabs %2, %0\n\tadd %1, %0"
		     : "=&r" (r), "+r" (pfn) : "i" (BASE));
	return r;
}

/* series: mov %rdi,%rax; movabs $BASE,%rdx; sub %rdx,%rax; sar $6,%rax */
__attribute__((noinline)) static uintptr_t se_page_to_pfn(uintptr_t page)
{
	uintptr_t r = page, b;

	asm volatile("movabs %2, %1\n\tsub %1, %0\n\tsar $6, %0"
		     : "+r" (r), "=&r" (b) : "i" (BASE));
	return r;
}

__attribute__((noinline)) static uintptr_t empty(uintptr_t v)
{
	asm volatile("" : "+r" (v));
	return v;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long loops = argc > 1 ? atol(argv[1]) : 100000000;
	int reps = argc > 2 ? atoi(argv[2]) : 3;
	static uintptr_t pfns[PFNS];
	unsigned long errors = 0;

	srandom(1);
	for (int i = 0; i < PFNS; i++)
		pfns[i] = random() % (1UL << 22);
	for (int rep = 1; rep <= reps; rep++) {
		double t[3];

		for (int shape = 0; shape < 3; shape++) {
			double t0 = now();

			for (long i = 0; i < loops; i++) {
				uintptr_t pfn = pfns[i & (PFNS - 1)], back;

				if (shape == 0)
					back = empty(empty(pfn));
				else if (shape == 1)
					back = up_page_to_pfn(up_pfn_to_page(pfn));
				else
					back = se_page_to_pfn(se_pfn_to_page(pfn));
				errors += back != pfn;
			}
			t[shape] = (now() - t0) / loops;
		}
		printf("shape=empty rep=%d ns_per_round_trip=%.3f\n", rep, t[0]);
		printf("shape=upstream rep=%d ns_per_round_trip=%.3f\n", rep, t[1]);
		printf("shape=series rep=%d ns_per_round_trip=%.3f\n", rep, t[2]);
	}
	if (errors)
		fprintf(stderr, "native-x86: %lu round trips came back wrong\n", errors);
	return errors != 0;
}
