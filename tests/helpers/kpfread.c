// SPDX-License-Identifier: GPL-2.0
/*
 * kpfread FIRST COUNT STOP: read /proc/kpageflags 4096 bytes (512 pfns) at
 * a time, chunks FIRST to FIRST + COUNT - 1 round and round, until the file
 * STOP exists, timing every read() and telling from the thread's count of
 * voluntary context switches whether it slept (waited for a lock or the
 * like: D state) rather than only being preempted.  A read that also took
 * a page fault (the buffer migrated away by compaction, say) may have
 * slept for that: such reads are counted apart.  Then print one line:
 *   reads=N longest_us=L mean_us=M slept=S longest_slept_us=T faulted=F
 * Exit 0 if every read returned 4096 bytes, 1 on a short read (printed
 * with its chunk: the range is beyond max_pfn or gone), 2 on a usage or
 * system error.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void usage_now(struct rusage *ru)
{
	if (getrusage(RUSAGE_THREAD, ru)) {
		perror("kpfread: getrusage");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	unsigned long long first, count, n = 0, t, d, longest = 0, sum = 0;
	unsigned long long slept = 0, longest_slept = 0, faulted = 0;
	static char buf[4096];
	struct rusage r0, r1;
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
	/* Fault the buffer in first: that is a sleep of the reader's own. */
	memset(buf, 0, sizeof(buf));
	while (access(argv[3], F_OK)) {
		unsigned long long chunk = first + n % count;

		usage_now(&r0);
		t = now_ns();
		got = pread(fd, buf, sizeof(buf), chunk * sizeof(buf));
		d = now_ns() - t;
		usage_now(&r1);
		if (r1.ru_minflt != r0.ru_minflt || r1.ru_majflt != r0.ru_majflt) {
			faulted++;
		} else if (r1.ru_nvcsw != r0.ru_nvcsw) {
			slept++;
			if (d > longest_slept)
				longest_slept = d;
		}
		if (got != sizeof(buf)) {
			printf("reads=%llu short read %zd at chunk %llu\n",
			       n, got, chunk);
			return 1;
		}
		n++;
		sum += d;
		if (d > longest)
			longest = d;
	}
	printf("reads=%llu longest_us=%llu mean_us=%llu slept=%llu longest_slept_us=%llu faulted=%llu\n",
	       n, longest / 1000, n ? sum / n / 1000 : 0, slept,
	       longest_slept / 1000, faulted);
	return 0;
}
