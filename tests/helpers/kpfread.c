// SPDX-License-Identifier: GPL-2.0
/*
 * kpfread FIRST COUNT STOP: read /proc/kpageflags 4096 bytes (512 pfns) at
 * a time, chunks FIRST to FIRST + COUNT - 1 round and round, until the file
 * STOP exists, timing every read().  Then print one line:
 *   reads=N longest_us=L mean_us=M over_1ms=K
 * Exit 0 if every read returned 4096 bytes, 1 on a short read (printed
 * with its chunk: the range is beyond max_pfn or gone), 2 on a usage or
 * system error.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long first, count, n = 0, t, d, longest = 0, sum = 0;
	unsigned long long over = 0;
	static char buf[4096];
	ssize_t got;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: kpfread FIRST COUNT STOP\n");
		return 2;
	}
	first = strtoull(argv[1], NULL, 0);
	count = strtoull(argv[2], NULL, 0);
	fd = open("/proc/kpageflags", O_RDONLY);
	if (fd < 0 || !count) {
		perror("kpfread: /proc/kpageflags");
		return 2;
	}
	while (access(argv[3], F_OK)) {
		unsigned long long chunk = first + n % count;

		t = now_ns();
		got = pread(fd, buf, sizeof(buf), chunk * sizeof(buf));
		d = now_ns() - t;
		if (got != sizeof(buf)) {
			printf("reads=%llu short read %zd at chunk %llu\n",
			       n, got, chunk);
			return 1;
		}
		n++;
		sum += d;
		over += d > 1000000;
		if (d > longest)
			longest = d;
	}
	printf("reads=%llu longest_us=%llu mean_us=%llu over_1ms=%llu\n", n,
	       longest / 1000, n ? sum / n / 1000 : 0, over);
	return 0;
}
