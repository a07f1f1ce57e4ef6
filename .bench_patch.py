import sys
p=sys.argv[1]+'/mm/memmap_bench.c'
s=open(p).read()
def sub(old,new):
    global s
    assert old in s, old[:60]
    s=s.replace(old,new,1)
sub('''static noinline __noipa unsigned long memmap_probe_empty(unsigned long v)''','''static noinline __noipa struct page *memmap_probe_pfn_to_online_page(unsigned long pfn)
{
	return pfn_to_online_page(pfn);
}

static noinline __noipa unsigned long memmap_probe_empty(unsigned long v)''')
sub('''struct bench_result {''','''/*
 * A valid pfn in a subsection hole of a boot section is not online: only a
 * page that is not @pfn's counts as an error.
 */
static __always_inline unsigned int bench_pfn_to_online_page(unsigned long pfn)
{
	struct page *page = memmap_probe_pfn_to_online_page(pfn);

	return page && page_to_pfn(page) != pfn;
}

struct bench_result {''')
sub('''DEFINE_BENCH_RUN(pfn_valid)
''','''DEFINE_BENCH_RUN(pfn_valid)
DEFINE_BENCH_RUN(pfn_to_online_page)
''')
sub('''	{ "pfn_valid", bench_run_pfn_valid },
''','''	{ "pfn_valid", bench_run_pfn_valid },
	{ "pfn_to_online_page", bench_run_pfn_to_online_page },
''')
open(p,'w').write(s)
