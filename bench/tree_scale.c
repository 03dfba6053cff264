/* tree_scale: how the provider copes with big PBX trees (Linux only).
 *
 * For each scenario: pbxsim --gen-tree makes a tree, pbxsim serves it,
 * tapihost loads libtsp8.so with a configuration naming the master and its
 * standby.  Measured from the provider's trace (INFO/THREAD classes, wall
 * clock) and tapihost's JSON output:
 *   - sessions up: the last of the first "session UP" of every PBX
 *   - enumerated: "line enumeration complete"
 *   - ready: tapihost has opened every line (it answers a command queued on
 *     its stdin only after that)
 *   - threads (peak of /proc/<pid>/status), peak RSS (VmHWM), worker pool
 *     figures, scheduler limit warnings
 *   - master loss -> standby serving ("stop master": the trace's session
 *     DOWN -> "takes over", and -> the last master line back in service)
 * Each scenario runs twice: a first start (empty lineGUIDs: every ID is
 * allocated and written) and a restart (IDs known).
 *
 *   tree_scale [--pbxsim P] [--tapihost P] [--provider P] [--only big|small] [--keep DIR]
 *              [--repeat N] [--split-cpus]
 *
 * --split-cpus runs tapihost (with the provider) on processor 0 and pbxsim
 * on processor 1: the provider then has one CPU to itself, as it has beside
 * real PBXs, and its own cost is what is measured.
 *
 * --repeat N runs every scenario N times (first start and restart each; the
 * takeover only in the first) and prints min / median / max of "all lines
 * open": on a shared VM single runs vary by a factor of two.
 * --keep DIR keeps the tree, the configuration and the provider's trace of
 * every run (DIR/<scenario>-first.trace, -restart.trace; with --repeat
 * DIR/<scenario>-first-<n>.trace, ..., so that a slow run can be read).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define KEY "HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider"
#define LINE_MAX_LEN 65536
#define SAMPLE_MS 10u   /* /proc/<tapihost>/status at most this often */

struct scenario {
	const char *name, *spec, *what;
	unsigned master_users;   /* lines homed on the master (for the takeover) */
	bool no_slaves;          /* NoSlaves=1: every line on the master's session */
};

static const struct scenario scenarios[] = {
	{ "big", "slaves=49,users=200,standby=1", "50 PBXs x 200 users = 10,000 lines", 200, false },
	{ "big-noslaves", "slaves=49,users=200,standby=1",
	  "the same 10,000 lines, NoSlaves=1 (all monitored on the master)", 10000, true },
	{ "small", "slaves=499,users=2,standby=1", "500 PBXs x 2 users = 1,000 lines", 2, false },
};

#define MAX_REPEAT 20

struct paths {
	const char *pbxsim, *tapihost, *provider;
	char dir[256];
	bool keep;   /* --keep: files stay, with each run's trace */
	unsigned repeat;   /* --repeat N: runs per scenario (first + restart each) */
	bool split_cpus;   /* --split-cpus: tapihost on processor 0, pbxsim on 1 */
};

static uint64_t now_ms(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000u + (uint64_t)tv.tv_usec / 1000u;
}

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tree_scale: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* "2026-11-23 00:42:12.994 ..." -> ms since the epoch (local time). */
static uint64_t trace_time(const char *line)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	int ms = 0;
	if (sscanf(line, "%d-%d-%d %d:%d:%d.%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &ms) != 7)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	return t < 0 ? 0 : (uint64_t)t * 1000u + (uint64_t)ms;
}

/* A child with pipes to stdin and from stdout/stderr. */
struct child {
	pid_t pid;
	int in, out, err;
	char obuf[LINE_MAX_LEN], ebuf[LINE_MAX_LEN];
	size_t olen, elen;
};

/* cpu >= 0: the child runs on that processor only (--split-cpus). */
static void spawn(struct child *c, char *const argv[], bool want_err, int cpu)
{
	int pi[2], po[2], pe[2];
	if (pipe(pi) || pipe(po) || pipe(pe))
		die("pipe: %s", strerror(errno));
	c->pid = fork();
	if (c->pid < 0)
		die("fork: %s", strerror(errno));
	if (c->pid == 0) {
		if (cpu >= 0) {
			cpu_set_t set;
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			if (sched_setaffinity(0, sizeof(set), &set) != 0)
				_exit(126);
		}
		dup2(pi[0], 0);
		dup2(po[1], 1);
		if (want_err)
			dup2(pe[1], 2);
		close(pi[1]);
		close(po[0]);
		close(pe[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pi[0]);
	close(po[1]);
	close(pe[1]);
	c->in = pi[1];
	c->out = po[0];
	c->err = want_err ? pe[0] : -1;
	if (!want_err)
		close(pe[0]);
	c->olen = c->elen = 0;
}

static void child_send(struct child *c, const char *s)
{
	size_t n = strlen(s);
	if (write(c->in, s, n) != (ssize_t)n)
		die("write to child: %s", strerror(errno));
}

/* Splits what arrived on fd into lines; fn(arg, line, is_err). */
typedef void (line_fn)(void *arg, char *line, bool is_err);

static bool drain(int fd, char *buf, size_t *len, line_fn *fn, void *arg, bool is_err)
{
	ssize_t n = read(fd, buf + *len, LINE_MAX_LEN - 1 - *len);
	if (n <= 0)
		return false;
	*len += (size_t)n;
	buf[*len] = '\0';
	char *start = buf, *nl;
	while ((nl = strchr(start, '\n')) != NULL) {
		*nl = '\0';
		fn(arg, start, is_err);
		start = nl + 1;
	}
	*len = strlen(start);
	memmove(buf, start, *len + 1);
	if (*len == LINE_MAX_LEN - 1) {   /* an over-long line: pass it as it is */
		fn(arg, buf, is_err);
		*len = 0;
	}
	return true;
}

/* Reads the child's output for up to ms (or until done(arg)). */
static void pump(struct child *c, unsigned ms, line_fn *fn, void *arg, bool (*done)(void *arg),
		 void *done_arg)
{
	uint64_t until = now_ms() + ms;
	for (;;) {
		if (done && done(done_arg))
			return;
		uint64_t now = now_ms();
		if (now >= until)
			return;
		struct pollfd p[2] = { { c->out, POLLIN, 0 }, { c->err, POLLIN, 0 } };
		int np = c->err >= 0 ? 2 : 1;
		int wait = (int)(until - now);
		if (wait > 50)
			wait = 50;
		if (poll(p, (nfds_t)np, wait) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if ((p[0].revents & (POLLIN | POLLHUP)) && !drain(c->out, c->obuf, &c->olen, fn, arg, false))
			c->out = -1;
		if (np == 2 && (p[1].revents & (POLLIN | POLLHUP)) &&
		    !drain(c->err, c->ebuf, &c->elen, fn, arg, true))
			c->err = -1;
		if (c->out < 0)
			return;
		if (fn)
			fn(arg, NULL, false);   /* a tick for samplers */
	}
}

/* ---- pbxsim ---------------------------------------------------------- */

struct sim {
	struct child c;
	char master[256], standby[256];
	int ctl_port;
	bool ready;
};

static void sim_line(void *arg, char *line, bool is_err)
{
	struct sim *s = arg;
	if (!line || is_err)
		return;
	char name[128], url[256];
	if (sscanf(line, "PBX %127s %255s", name, url) == 2) {
		if (strcmp(name, "master") == 0)
			snprintf(s->master, sizeof(s->master), "%s", url);
		else if (strcmp(name, "master-standby") == 0)
			snprintf(s->standby, sizeof(s->standby), "%s", url);
	} else if (sscanf(line, "CONTROL 127.0.0.1:%d", &s->ctl_port) == 1) {
		/* noted */
	} else if (strcmp(line, "READY") == 0) {
		s->ready = true;
	}
}

static bool sim_ready(void *arg)
{
	return ((struct sim *)arg)->ready;
}

static void sim_start(struct sim *s, const struct paths *p, const char *tree)
{
	memset(s, 0, sizeof(*s));
	char *argv[] = { (char *)p->pbxsim, "--tree", (char *)tree, NULL };
	spawn(&s->c, argv, false, p->split_cpus ? 1 : -1);
	pump(&s->c, 120000, sim_line, s, sim_ready, s);
	if (!s->ready || !s->master[0] || !s->standby[0])
		die("pbxsim did not come up with master and master-standby");
}

/* One control command over stdin; its answer line is skipped by pump. */
static void sim_cmd(struct sim *s, const char *cmd)
{
	child_send(&s->c, cmd);
	child_send(&s->c, "\n");
}

static void sim_stop(struct sim *s)
{
	sim_cmd(s, "quit");
	close(s->c.in);
	for (int i = 0; i < 100; i++) {
		if (waitpid(s->c.pid, NULL, WNOHANG) == s->c.pid)
			return;
		usleep(50000);
	}
	kill(s->c.pid, SIGKILL);
	waitpid(s->c.pid, NULL, 0);
}

/* ---- one tapihost run ---------------------------------------------------- */

struct labels {
	char (*v)[96];
	size_t n, cap;
};

static bool labels_add(struct labels *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return false;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	snprintf(l->v[l->n++], sizeof(l->v[0]), "%s", s);
	return true;
}

/* CPU seconds (user + system) a process used so far. */
static double cpu_s(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *p = strrchr(buf, ')');
	unsigned long ut = 0, st = 0;
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

struct run {
	double host_cpu, sim_cpu;    /* CPU seconds from spawn to ready */
	uint64_t quiet_ms;           /* waited after ready for steady state */
	struct child c;
	uint64_t t_spawn, t_last_up, t_enum, t_ready, t_provider;
	size_t lines, sessions_up, warnings, thread_warnings;
	unsigned peak_threads, sched_peak, sched_limit;
	unsigned long vm_hwm_kb, vm_rss_kb;
	unsigned long ready_hwm_kb, ready_rss_kb;   /* when every line was open */
	struct labels up;
	bool replied;
	/* takeover */
	bool watching;
	uint64_t t_master_down, t_takeover, t_last_inservice;
	size_t inservice, inservice_want;
	char sched_line[256];
	FILE *trace;                 /* --keep: the provider's trace of this run */
	uint64_t t_sample;           /* last sample() */
};

static void sample(struct run *r)
{
	char path[64], buf[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)r->c.pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *t = strstr(buf, "Threads:");
	const char *h = strstr(buf, "VmHWM:");
	const char *rs = strstr(buf, "VmRSS:");
	if (rs)
		r->vm_rss_kb = strtoul(rs + 6, NULL, 10);
	if (t) {
		unsigned th = (unsigned)strtoul(t + 8, NULL, 10);
		if (th > r->peak_threads)
			r->peak_threads = th;
	}
	if (h)
		r->vm_hwm_kb = strtoul(h + 6, NULL, 10);
}

static void run_line(void *arg, char *line, bool is_err)
{
	struct run *r = arg;
	if (!line) {
		/* Every 10 ms at most: reading /proc on every wakeup of the pump
		 * (one per burst of tapihost output) cost the measuring process
		 * a quarter of a CPU second on the two CPUs it shares with what
		 * it measures.  VmHWM is the kernel's own peak anyway. */
		uint64_t now = now_ms();
		if (now - r->t_sample >= SAMPLE_MS) {
			r->t_sample = now;
			sample(r);
		}
		return;
	}
	if (!is_err) {
		if (strstr(line, "\"event\":\"line\""))
			r->lines++;
		else if (strstr(line, "\"event\":\"provider\""))
			r->t_provider = now_ms();
		else if (strstr(line, "\"event\":\"reply\"") && !r->replied) {
			r->replied = true;
			r->t_ready = now_ms();
		} else if (r->watching && strstr(line, "\"states\":\"INSERVICE\"")) {
			r->inservice++;
			r->t_last_inservice = now_ms();
			if (r->inservice >= r->inservice_want)
				r->watching = false;   /* all back: the switch-back is not counted */
		}
		return;
	}
	if (r->trace)
		fprintf(r->trace, "%s\n", line);
	uint64_t t = trace_time(line);
	const char *p;
	if ((p = strstr(line, " INFO tsp8: PBX ")) && strstr(line, ": session UP")) {
		char label[96];
		const char *a = p + strlen(" INFO tsp8: PBX ");
		const char *b = strstr(a, ": session UP");
		snprintf(label, sizeof(label), "%.*s", (int)(b - a), a);
		if (labels_add(&r->up, label) && !r->t_enum) {
			r->sessions_up++;
			r->t_last_up = t;
		}
		if (r->watching && strcmp(label, "standby") == 0 && !r->t_takeover)
			r->t_takeover = t;
	} else if (strstr(line, "line enumeration complete")) {
		r->t_enum = t;
	} else if (strstr(line, "about to spawn new workerthread")) {
		r->thread_warnings++;
	} else if ((p = strstr(line, "workers: "))) {
		snprintf(r->sched_line, sizeof(r->sched_line), "%s", p);
		const char *m = strstr(p, "at most ");
		if (m)
			sscanf(m, "at most %u threads of %u", &r->sched_peak, &r->sched_limit);
	} else if (r->watching && strstr(line, "PBX master: session DOWN") && !r->t_master_down) {
		r->t_master_down = t;
	}
	if (strstr(line, " WARN "))
		r->warnings++;
}

static bool run_replied(void *arg)
{
	return ((struct run *)arg)->replied;
}

struct takeover_want {
	struct run *r;
	size_t want;
};

static bool takeover_done(void *arg)
{
	const struct takeover_want *w = arg;
	return w->r->t_takeover && w->r->inservice >= w->want;
}

static void write_config(const char *path, const struct sim *s, bool no_slaves)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "REGEDIT4\n\n[" KEY "]\n\"TapiUser\"=\"_TAPI_\"\n\"admin2-free\"=\"_TAPI_\"\n"
		"\"admin1-free\"=\"tapi\"\n\"LineTimeOut\"=dword:00000078\n\"TraceLevel\"=dword:04000440\n"
		"\"DoTraceFile\"=dword:00000000\n\"NoSlaves\"=dword:%d\n\n[" KEY "\\FQDN]\n\"0\"=\"%s\"\n\n["
		KEY "\\StandbyFQDN]\n\"0\"=\"%s\"\n", no_slaves ? 1 : 0, s->master, s->standby);
	fclose(f);
}

static void one_run(const struct paths *p, struct sim *s, const char *config, bool takeover,
		    const struct scenario *sc, const char *which, unsigned nr, struct run *r)
{
	memset(r, 0, sizeof(*r));
	if (p->keep) {
		char path[700];
		if (p->repeat > 1)   /* one trace per run */
			snprintf(path, sizeof(path), "%s/%s-%s-%u.trace", p->dir, sc->name, which, nr + 1);
		else
			snprintf(path, sizeof(path), "%s/%s-%s.trace", p->dir, sc->name, which);
		r->trace = fopen(path, "w");
	}
	char *argv[] = { (char *)p->tapihost, "--provider", (char *)p->provider, "--config",
			 (char *)config, "--json", NULL };
	r->t_spawn = now_ms();
	double sim0 = cpu_s(s->c.pid);
	spawn(&r->c, argv, true, p->split_cpus ? 0 : -1);
	/* answered only once every line is open */
	child_send(&r->c, "sleep 0\n");
	pump(&r->c, 300000, run_line, r, run_replied, r);
	if (!r->replied)
		die("tapihost did not finish its start within 300 s");
	sample(r);
	r->host_cpu = cpu_s(r->c.pid);
	r->sim_cpu = cpu_s(s->c.pid) - sim0;
	r->ready_hwm_kb = r->vm_hwm_kb;
	r->ready_rss_kb = r->vm_rss_kb;
	if (takeover) {
		/* steady state first: the slaves' sessions may still be busy with
		 * their initial dumps; wait until tapihost idles (< 5 % CPU over
		 * half a second, 60 s at most) */
		uint64_t quiet_from = now_ms();
		for (;;) {
			double c0 = cpu_s(r->c.pid);
			pump(&r->c, 500, run_line, r, NULL, NULL);
			if (cpu_s(r->c.pid) - c0 < 0.025 || now_ms() - quiet_from > 60000)
				break;
		}
		r->quiet_ms = now_ms() - quiet_from;
		/* the master's own users (+ _TAPI_ and Trunk) come back */
		struct takeover_want w = { r, sc->master_users + 2 };
		r->inservice_want = w.want;
		r->watching = true;
		sim_cmd(s, "stop master");
		pump(&r->c, 30000, run_line, r, takeover_done, &w);
		/* the master back, so that the next run starts normally */
		sim_cmd(s, "start master");
		pump(&r->c, 2000, run_line, r, NULL, NULL);
	}
	child_send(&r->c, "quit\n");
	pump(&r->c, 30000, run_line, r, NULL, NULL);
	int status = 0;
	waitpid(r->c.pid, &status, 0);
	close(r->c.in);
	if (r->c.out >= 0)
		close(r->c.out);
	if (r->c.err >= 0)
		close(r->c.err);
	free(r->up.v);
	if (r->trace)
		fclose(r->trace);
	r->trace = NULL;
}

static void report(const struct scenario *sc, const char *which, const struct run *r, bool takeover)
{
	long since_up = (long)(r->t_ready - r->t_last_up);
	long enum_after = (long)(r->t_enum - r->t_last_up);
	printf("  %-9s lines %lu, sessions up %lu (%ld ms after spawn); enumerated +%ld ms; all lines "
	       "open +%ld ms after the sessions were up (%ld ms after spawn)\n",
	       which, (unsigned long)r->lines, (unsigned long)r->sessions_up, (long)(r->t_last_up - r->t_spawn),
	       enum_after, since_up, (long)(r->t_ready - r->t_spawn));
	printf("            CPU until ready: tapihost+provider %.1f s, pbxsim %.1f s\n", r->host_cpu, r->sim_cpu);
	printf("            threads peak %u (workers %u of %u), scheduler limit warnings %lu, WARN lines %lu\n",
	       r->peak_threads, r->sched_peak, r->sched_limit, (unsigned long)r->thread_warnings,
	       (unsigned long)r->warnings);
	double n = r->lines ? (double)r->lines : 1.0;
	printf("            RSS when ready %lu KiB (peak so far %lu KiB = %.2f KiB per line); peak until "
	       "exit %lu KiB\n", r->ready_rss_kb, r->ready_hwm_kb, (double)r->ready_hwm_kb / n, r->vm_hwm_kb);
	if (takeover)
		printf("            (steady state %lu ms after ready) master lost -> standby serving %ld ms; "
		       "-> %lu master lines in service %ld ms\n", (unsigned long)r->quiet_ms,
		       r->t_takeover && r->t_master_down ? (long)(r->t_takeover - r->t_master_down) : -1L,
		       (unsigned long)r->inservice,
		       r->t_master_down && r->t_last_inservice ? (long)(r->t_last_inservice - r->t_master_down)
							       : -1L);
	(void)sc;
	fflush(stdout);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

/* "all lines open" over the repetitions: the machine's noise shows. */
static void summary(const char *which, long *v, unsigned n)
{
	qsort(v, n, sizeof(*v), cmp_long);
	printf("  %-9s all lines open after the sessions were up, %u runs: min %ld ms, median %ld ms, "
	       "max %ld ms\n", which, n, v[0], v[n / 2], v[n - 1]);
	fflush(stdout);
}

static void scenario_run(const struct paths *p, const struct scenario *sc)
{
	char tree[512], config[512], cmd[1024];
	snprintf(tree, sizeof(tree), "%s/%s.json", p->dir, sc->name);
	snprintf(config, sizeof(config), "%s/%s.reg", p->dir, sc->name);
	snprintf(cmd, sizeof(cmd), "'%s' --gen-tree %s > '%s'", p->pbxsim, sc->spec, tree);
	if (system(cmd) != 0)
		die("%s failed", cmd);
	printf("scenario %s: %s (pbxsim --gen-tree %s)\n", sc->name, sc->what, sc->spec);
	fflush(stdout);
	struct sim s;
	uint64_t t0 = now_ms();
	sim_start(&s, p, tree);
	printf("  pbxsim up in %lu ms\n", (unsigned long)(now_ms() - t0));
	long first_ms[MAX_REPEAT], restart_ms[MAX_REPEAT];
	for (unsigned i = 0; i < p->repeat; i++) {
		struct run r;
		unlink(config);   /* every first run allocates and writes every ID */
		write_config(config, &s, sc->no_slaves);
		bool takeover = i == 0;   /* the takeover is measured once */
		one_run(p, &s, config, takeover, sc, "first", i, &r);
		report(sc, "first", &r, takeover);
		first_ms[i] = (long)(r.t_ready - r.t_last_up);
		one_run(p, &s, config, false, sc, "restart", i, &r);
		report(sc, "restart", &r, false);
		restart_ms[i] = (long)(r.t_ready - r.t_last_up);
	}
	if (p->repeat > 1) {
		summary("first", first_ms, p->repeat);
		summary("restart", restart_ms, p->repeat);
	}
	sim_stop(&s);
}

int main(int argc, char **argv)
{
	struct paths p = { PBXSIM_PATH, TAPIHOST_PATH, PROVIDER_PATH, "", false, 1, false };
	const char *only = NULL, *keep = NULL;
	for (int i = 1; i < argc; i++) {
		if (i + 1 < argc && strcmp(argv[i], "--pbxsim") == 0)
			p.pbxsim = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--tapihost") == 0)
			p.tapihost = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--provider") == 0)
			p.provider = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--only") == 0)
			only = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--keep") == 0)
			keep = argv[++i];
		else if (i + 1 < argc && strcmp(argv[i], "--repeat") == 0)
			p.repeat = (unsigned)strtoul(argv[++i], NULL, 10);
		else if (strcmp(argv[i], "--split-cpus") == 0)
			p.split_cpus = true;
		else
			die("usage: tree_scale [--pbxsim P] [--tapihost P] [--provider P] [--only big|small] "
			    "[--keep DIR] [--repeat N] [--split-cpus]");
	}
	if (p.repeat < 1 || p.repeat > MAX_REPEAT)
		die("--repeat: 1 to %d runs", MAX_REPEAT);
	signal(SIGPIPE, SIG_IGN);
	if (keep) {
		snprintf(p.dir, sizeof(p.dir), "%s", keep);
		p.keep = true;
		mkdir(p.dir, 0700);
	} else {
		snprintf(p.dir, sizeof(p.dir), "/tmp/tsp8-bench-XXXXXX");
		if (!mkdtemp(p.dir))
			die("mkdtemp: %s", strerror(errno));
	}
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (p.split_cpus && cpus < 2)
		die("--split-cpus needs 2 processors");
	printf("tree_scale: %ld CPUs%s, files in %s\n", cpus,
	       p.split_cpus ? " (tapihost + provider on CPU 0, pbxsim on CPU 1)" : "", p.dir);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!only || strcmp(only, scenarios[i].name) == 0)
			scenario_run(&p, &scenarios[i]);
	if (!keep) {
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", p.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "tree_scale: could not remove %s\n", p.dir);
	}
	return 0;
}
