// SPDX-License-Identifier: GPL-2.0
/*
 * fragment MIB READY STOP [HOLD_MIB]: first fault in HOLD_MIB MiB of
 * anonymous memory and hold it whole (it takes the large free blocks, so
 * that what a trial allocates must come from what follows), then fault in
 * MIB MiB in base pages and give back every other page, create the file
 * READY and hold the rest until the file STOP exists.  What is left free
 * is in single pages between pages in use: a high-order allocation then
 * needs compaction.  Exit 0 after STOP, 2 on a usage or system error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	size_t len, hold = 0, off, page = sysconf(_SC_PAGESIZE);
	char *p;
	int fd;

	if (argc < 4 || argc > 5 || !(len = strtoul(argv[1], NULL, 0) << 20)) {
		fprintf(stderr, "usage: fragment MIB READY STOP [HOLD_MIB]\n");
		return 2;
	}
	if (argc == 5)
		hold = strtoul(argv[4], NULL, 0) << 20;
	if (hold) {
		p = mmap(NULL, hold, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p == MAP_FAILED) {
			perror("fragment: mmap of the hold");
			return 2;
		}
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("fragment: mmap");
		return 2;
	}
	/* Base pages only: a THP would leave nothing to fragment. */
	madvise(p, len, MADV_NOHUGEPAGE);
	for (off = 0; off < len; off += page)
		p[off] = 1;
	for (off = page; off < len; off += 2 * page)
		if (madvise(p + off, page, MADV_DONTNEED)) {
			perror("fragment: madvise");
			return 2;
		}
	fd = open(argv[2], O_CREAT | O_WRONLY, 0600);
	if (fd < 0) {
		perror("fragment: ready file");
		return 2;
	}
	close(fd);
	while (access(argv[3], F_OK))
		usleep(100000);
	return 0;
}
