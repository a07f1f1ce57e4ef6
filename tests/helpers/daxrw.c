// SPDX-License-Identifier: GPL-2.0
/*
 * daxrw DEV write|check SEED MIB: fill, or check, the first MIB MiB of a
 * device-dax character device through a shared mapping (the only access
 * device-dax offers) with a pattern derived from SEED.  Exit 0 on success,
 * 1 on a mismatch (its offset printed), 2 on a usage or system error.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static uint64_t word(uint64_t seed, uint64_t i)
{
	uint64_t x = seed ^ (i * 0x9e3779b97f4a7c15ULL);

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 29);
}

int main(int argc, char **argv)
{
	uint64_t seed, i, n, *p;
	size_t len;
	int fd, wr;

	if (argc != 5 || (strcmp(argv[2], "write") && strcmp(argv[2], "check"))) {
		fprintf(stderr, "usage: %s DEV write|check SEED MIB\n", argv[0]);
		return 2;
	}
	wr = !strcmp(argv[2], "write");
	seed = strtoull(argv[3], NULL, 0);
	len = strtoull(argv[4], NULL, 0) << 20;
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || !len) {
		perror(argv[1]);
		return 2;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	n = len / sizeof(*p);
	for (i = 0; i < n; i++) {
		if (wr) {
			p[i] = word(seed, i);
		} else if (p[i] != word(seed, i)) {
			printf("mismatch at offset %#llx\n",
			       (unsigned long long)(i * sizeof(*p)));
			return 1;
		}
	}
	/* Stores reach the device directly: it has no msync()/fsync(). */
	munmap(p, len);
	close(fd);
	return 0;
}
