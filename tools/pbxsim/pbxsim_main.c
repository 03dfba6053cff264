/* pbxsim: innovaphone-style PBX SOAP simulator.
 *
 * Loads a tree file, serves each PBX on its own loopback port, prints the
 * endpoints and READY, then runs control commands from stdin and from the
 * control port until "quit", SIGINT or SIGTERM.  Exit codes: 0 normal,
 * 1 runtime failure (port in use, ...), 2 bad command line or tree file. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "app.h"
#include "args.h"
#include "base/error.h"
#include "control_server.h"
#include "gen_tree.h"
#include "httpd.h"
#include "sim.h"
#include "tree.h"
#include "tree_load.h"

/* A listener per PBX plus a connection or two per client session: big
 * trees need more descriptors than the usual soft limit of 1024. */
static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* --gen-tree: the generated tree on stdout. */
static int print_tree(const char *spec)
{
	struct strbuf sb;
	char err[256];
	int rc;

	sb_init(&sb);
	rc = gen_tree(spec, &sb, err, sizeof(err));
	if (rc == TSP8_OK && fwrite(sb_cstr(&sb), 1, sb.len, stdout) != sb.len)
		rc = TSP8_EIO;
	sb_free(&sb);
	if (rc == TSP8_ESYNTAX)
		fprintf(stderr, "pbxsim: %s\n", err);
	else if (rc != TSP8_OK)
		fprintf(stderr, "pbxsim: cannot write the tree\n");
	return rc == TSP8_OK ? 0 : rc == TSP8_ESYNTAX ? 2 : 1;
}

static int start_servers(struct pbxsim_app *app)
{
	app->httpds = calloc(app->sim->npbx, sizeof(*app->httpds));
	if (!app->httpds)
		return TSP8_ENOMEM;
	for (size_t i = 0; i < app->sim->npbx; i++) {
		struct sim_pbx *pbx = app->sim->pbxs[i];
		unsigned want = pbx->port;
		int rc = httpd_create(&app->httpds[i], app->sim, pbx);

		if (rc != TSP8_OK) {
			fprintf(stderr, "pbxsim: PBX %s: cannot listen on 127.0.0.1:%u\n", pbx->name,
				want);
			return rc;
		}
		app->n++;
	}
	return TSP8_OK;
}

static void stop_servers(struct pbxsim_app *app)
{
	for (size_t i = 0; i < app->n; i++)
		httpd_destroy(app->httpds[i]);
	free(app->httpds);
	app->httpds = NULL;
	app->n = 0;
}

/* Waits for stdin commands, the quit pipe or a signal. */
static void main_loop(struct pbxsim_app *app, int wake_rd, int sig_fd)
{
	struct control_lines cl = { .len = 0 };
	bool stdin_open = true;

	while (!atomic_load(&app->quit)) {
		struct pollfd p[3] = {
			{ .fd = wake_rd, .events = POLLIN },
			{ .fd = sig_fd, .events = POLLIN },
			{ .fd = stdin_open ? 0 : -1, .events = POLLIN },
		};
		char buf[512];
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents || p[1].revents)
			return;
		if (!p[2].revents)
			continue;
		n = read(0, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		/* stdin closed (e.g. /dev/null): keep serving until quit. */
		if (n <= 0) {
			stdin_open = false;
			continue;
		}
		if (!control_feed(app, &cl, buf, (size_t)n, 1))
			return;
	}
}

static int run(const struct pbxsim_args *a)
{
	struct sim_options opt = { 60000, 10000, a->verbose };
	struct tree_settings ts;
	struct pbxsim_app app = { .wake_fd = -1 };
	struct control_server *cs = NULL;
	char err[600];
	int pipefd[2] = { -1, -1 }, sig_fd = -1, rc, code = 1;
	sigset_t set;

	if (sim_create(&app.sim, &opt) != TSP8_OK) {
		fprintf(stderr, "pbxsim: out of memory\n");
		return 1;
	}
	rc = tree_load_file(app.sim, a->tree, &ts, err, sizeof(err));
	if (rc != TSP8_OK) {
		fprintf(stderr, "pbxsim: %s\n", rc == TSP8_ENOMEM ? "out of memory" : err);
		sim_destroy(app.sim);
		return rc == TSP8_ENOMEM ? 1 : 2;
	}
	/* Command line beats the tree file beats the defaults. */
	if (ts.has_poll_idle)
		app.sim->opt.poll_idle_ms = ts.poll_idle_s * 1000u;
	if (ts.has_session_expiry)
		app.sim->opt.session_expiry_ms = ts.session_expiry_s * 1000u;
	if (a->has_poll_idle)
		app.sim->opt.poll_idle_ms = a->poll_idle_ms;
	if (a->has_session_expiry)
		app.sim->opt.session_expiry_ms = a->session_expiry_ms;

	/* Signals arrive through a signalfd in the main loop: block them
	 * before any thread exists so every thread inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sig_fd < 0 || pipe(pipefd) != 0) {
		fprintf(stderr, "pbxsim: cannot set up signals: %s\n", strerror(errno));
		goto out;
	}
	app.wake_fd = pipefd[1];
	atomic_init(&app.quit, false);
	raise_fd_limit();
	if (start_servers(&app) != TSP8_OK)
		goto out;
	if (tree_timer_start(app.sim) != TSP8_OK) {
		fprintf(stderr, "pbxsim: cannot start the standby timer\n");
		goto out;
	}
	if (control_server_create(&cs, &app, a->control_port) != TSP8_OK) {
		fprintf(stderr, "pbxsim: cannot listen on control port 127.0.0.1:%u\n",
			a->control_port);
		goto out;
	}
	for (size_t i = 0; i < app.n; i++)
		printf("PBX %s %s\n", app.sim->pbxs[i]->name, httpd_url(app.httpds[i]));
	printf("CONTROL 127.0.0.1:%u\nREADY\n", control_server_port(cs));
	fflush(stdout);
	main_loop(&app, pipefd[0], sig_fd);
	code = 0;
out:
	sim_shutdown(app.sim);
	control_server_destroy(cs);
	stop_servers(&app);
	sim_destroy(app.sim);
	if (sig_fd >= 0)
		close(sig_fd);
	if (pipefd[0] >= 0) {
		close(pipefd[0]);
		close(pipefd[1]);
	}
	return code;
}

int main(int argc, char **argv)
{
	struct pbxsim_args a;
	char err[256];

	if (args_parse(argc, argv, &a, err, sizeof(err)) != TSP8_OK) {
		fprintf(stderr, "pbxsim: %s\n%s", err, args_usage());
		return 2;
	}
	if (a.help) {
		fputs(args_usage(), stdout);
		return 0;
	}
	if (a.gen_tree)
		return print_tree(a.gen_tree);
	/* Each answer line must reach a reading test at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	return run(&a);
}
