/* tapihost: loads a TAPI service provider and drives it like tapisrv.
 * See design.md ("tapihost") for the command line, output and commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/platform.h"
#include "host.h"
#include "opts.h"
#include "out.h"
#include "stdin_reader.h"
#include "sys.h"

#define EXIT_PROVIDER 1
#define EXIT_USAGE 2
#define EXIT_VIOLATIONS 3
#define MAIN_POLL_MS 100

static bool file_exists(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	fclose(f);
	return true;
}

/* The provider beside the executable (installed), else in the build
 * tree's tsp8/ directory; if neither exists, the first (for the message). */
static int default_provider(char *buf, size_t cap)
{
	char dir[1024];
	int rc = plat_exe_dir(dir, sizeof dir);
	if (rc != TSP8_OK)
		return rc;
	const char *name = sys_provider_file_name();
	int n = snprintf(buf, cap, "%s/../../tsp8/%s", dir, name);
	if (n > 0 && (size_t)n < cap && file_exists(buf))
		return TSP8_OK;
	n = snprintf(buf, cap, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= cap)
		return TSP8_EINVAL;
	if (file_exists(buf))
		return TSP8_OK;
	return TSP8_OK;
}

static void print_end(struct out *o, unsigned violations)
{
	struct rec r;
	rec_init(&r, "END", "end");
	rec_int(&r, "violations", "violations", violations);
	out_rec(o, &r);
}

/* Runs until quit, --seconds, a signal or (without --seconds) stdin EOF. */
static void main_loop(struct host *h, const struct opts *o)
{
	uint64_t deadline = plat_now_ms() + (uint64_t)o->seconds * 1000u;
	for (;;) {
		if (host_wait_quit(h, MAIN_POLL_MS) || sys_signalled())
			return;
		if (o->has_seconds && plat_now_ms() >= deadline)
			return;
	}
}

int main(int argc, char **argv)
{
	struct opts o;
	char err[256];
	if (opts_parse(argc, argv, &o, err, sizeof err) != 0) {
		fprintf(stderr, "tapihost: %s\n%s", err, opts_usage());
		return EXIT_USAGE;
	}
	if (o.help) {
		fputs(opts_usage(), stdout);
		return 0;
	}
	if (o.config && sys_setenv("TSP8_CONFIG", o.config) != TSP8_OK) {
		fprintf(stderr, "tapihost: cannot set TSP8_CONFIG\n");
		return EXIT_PROVIDER;
	}
	sys_install_signals();
	if (plat_global_init() != TSP8_OK) {
		fprintf(stderr, "tapihost: platform initialisation failed\n");
		return EXIT_PROVIDER;
	}
	char path[1200];
	if (o.provider) {
		snprintf(path, sizeof path, "%s", o.provider);
	} else if (default_provider(path, sizeof path) != TSP8_OK) {
		fprintf(stderr, "tapihost: cannot find the executable's directory; use --provider\n");
		return EXIT_PROVIDER;
	}
	struct out *out;
	struct host *h;
	if (out_create(&out, stdout, o.json) != TSP8_OK) {
		fprintf(stderr, "tapihost: out of memory\n");
		return EXIT_PROVIDER;
	}
	if (host_create(&h, &o, out) != TSP8_OK) {
		fprintf(stderr, "tapihost: out of memory\n");
		out_destroy(out);
		return EXIT_PROVIDER;
	}
	if (host_start(h, path) != TSP8_OK) {
		host_stop(h);
		print_end(out, out_violations(out));
		host_destroy(h);
		out_destroy(out);
		return EXIT_PROVIDER;
	}

	plat_thread *worker;
	struct stdin_reader *reader = NULL;
	if (plat_thread_start(&worker, dispatch_thread, h, "tapihost-events") != TSP8_OK) {
		out_violation(out, "tapihost: cannot start the processing thread");
		worker = NULL;
	} else if (stdin_reader_start(&reader, h, stdin, !o.has_seconds) != TSP8_OK) {
		out_violation(out, "tapihost: cannot start the stdin thread");
	}
	if (worker) {
		main_loop(h, &o);
		while (evq_push_stop(h->q) != TSP8_OK)
			plat_sleep_ms(MAIN_POLL_MS);
		plat_thread_join(worker);
	}
	host_stop(h);
	unsigned violations = out_violations(out);
	print_end(out, violations);
	int status = violations ? EXIT_VIOLATIONS : 0;
	if (reader && !stdin_reader_stop(reader)) {
		/* The stdin thread is blocked in a read that cannot be
		 * interrupted portably; it no longer touches the host.  End the
		 * process without tearing down what it still references. */
		fflush(stdout);
		fflush(stderr);
		_Exit(status);
	}
	host_destroy(h);
	out_destroy(out);
	return status;
}
