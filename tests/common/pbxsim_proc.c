/* Test helper: pbxsim as a child process. */
#include "pbxsim_proc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/error.h"

#define MAX_ARGS 32
#define CMD_LINE_MAX 8192           /* pbxsim's own control line limit */
#define ANSWER_MAX (512 * 1024)     /* "pbxs"/"calls" of big trees */
#define START_TIMEOUT_MS 10000
#define CMD_TIMEOUT_MS 5000
#define STOP_TIMEOUT_MS 5000

struct pbxsim_pbx {
	char name[128];
	char url[256];
	unsigned port;
};

struct pbxsim_proc {
	pid_t pid;
	int out_fd;                 /* its stdout */
	int ctl_fd;                 /* control connection, -1 until first use */
	unsigned control_port;
	struct pbxsim_pbx *pbx;     /* announced PBXs, in order */
	size_t npbx, cappbx;
	char inbuf[ANSWER_MAX];     /* control answer bytes not consumed yet */
	size_t inlen;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Splits a copy of `args` into argv after the fixed words. */
static int build_argv(char *copy, char **argv, int at)
{
	char *save = NULL;

	for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (at >= MAX_ARGS - 1)
			return -1;
		argv[at++] = w;
	}
	argv[at] = NULL;
	return at;
}

/* fork + exec with stdout (and optionally stderr) on pipes. */
static pid_t spawn(char **argv, int *out_fd, int *err_fd)
{
	int outp[2], errp[2] = { -1, -1 };
	pid_t pid;

	if (pipe2(outp, O_CLOEXEC) != 0)
		return -1;
	if (err_fd && pipe2(errp, O_CLOEXEC) != 0) {
		close(outp[0]);
		close(outp[1]);
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		/* Die with the test process. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(outp[1], 1);
		if (err_fd)
			dup2(errp[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(outp[1]);
	if (err_fd)
		close(errp[1]);
	if (pid < 0) {
		close(outp[0]);
		if (err_fd)
			close(errp[0]);
		return -1;
	}
	*out_fd = outp[0];
	if (err_fd)
		*err_fd = errp[0];
	return pid;
}

/* Reads one line from fd before deadline.  Returns line length, -1 on
 * EOF/error, -2 on timeout. */
static int read_line(int fd, char *buf, size_t len, size_t *have, char *line, size_t llen,
		     long long deadline)
{
	for (;;) {
		char *nl = memchr(buf, '\n', *have);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long long left;
		ssize_t n;

		if (nl) {
			size_t l = (size_t)(nl - buf);
			size_t c = l < llen - 1 ? l : llen - 1;

			memcpy(line, buf, c);
			line[c] = '\0';
			memmove(buf, nl + 1, *have - l - 1);
			*have -= l + 1;
			return (int)c;
		}
		if (*have == len)
			*have = 0; /* overlong line: drop it */
		left = deadline - now_ms();
		if (left <= 0)
			return -2;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, buf + *have, len - *have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		*have += (size_t)n;
	}
}

static void kill_and_reap(pid_t pid, long long wait_ms)
{
	long long deadline = now_ms() + wait_ms;
	int status;

	while (now_ms() < deadline) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD))
			return;
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static int parse_ready(struct pbxsim_proc *p, long long deadline)
{
	char buf[2048], line[512];
	size_t have = 0;

	for (;;) {
		int n = read_line(p->out_fd, buf, sizeof(buf), &have, line, sizeof(line), deadline);
		char name[128], url[256];
		unsigned port;

		if (n == -2)
			return TSP8_ETIMEOUT;
		if (n < 0)
			return TSP8_EIO;
		if (strcmp(line, "READY") == 0)
			return p->control_port ? TSP8_OK : TSP8_EPROTO;
		if (sscanf(line, "PBX %127s %255s", name, url) == 2) {
			struct pbxsim_pbx *x;
			const char *colon = strrchr(url, ':');

			if (p->npbx == p->cappbx) {
				size_t cap = p->cappbx ? p->cappbx * 2 : 16;
				struct pbxsim_pbx *n = realloc(p->pbx, cap * sizeof(*n));

				if (!n)
					return TSP8_ENOMEM;
				p->pbx = n;
				p->cappbx = cap;
			}
			x = &p->pbx[p->npbx++];

			snprintf(x->name, sizeof(x->name), "%s", name);
			snprintf(x->url, sizeof(x->url), "%s", url);
			x->port = colon ? (unsigned)strtoul(colon + 1, NULL, 10) : 0;
		} else if (sscanf(line, "CONTROL 127.0.0.1:%u", &port) == 1) {
			p->control_port = port;
		} else {
			return TSP8_EPROTO;
		}
	}
}

int pbxsim_start(struct pbxsim_proc **out, const char *tree_json_path, const char *extra_args)
{
	struct pbxsim_proc *p;
	char *copy, *argv[MAX_ARGS];
	int rc;

	if (!out || !tree_json_path)
		return TSP8_EINVAL;
	p = calloc(1, sizeof(*p));
	copy = strdup(extra_args ? extra_args : "");
	if (!p || !copy) {
		free(p);
		free(copy);
		return TSP8_ENOMEM;
	}
	p->ctl_fd = -1;
	argv[0] = (char *)PBXSIM_PATH;
	argv[1] = (char *)"--tree";
	argv[2] = (char *)tree_json_path;
	if (build_argv(copy, argv, 3) < 0) {
		free(copy);
		free(p);
		return TSP8_EINVAL;
	}
	p->pid = spawn(argv, &p->out_fd, NULL);
	free(copy);
	if (p->pid < 0) {
		free(p);
		return TSP8_EIO;
	}
	rc = parse_ready(p, now_ms() + START_TIMEOUT_MS);
	if (rc != TSP8_OK) {
		kill(p->pid, SIGTERM);
		kill_and_reap(p->pid, 2000);
		close(p->out_fd);
		free(p->pbx);
		free(p);
		return rc;
	}
	*out = p;
	return TSP8_OK;
}

static struct pbxsim_pbx *find(struct pbxsim_proc *p, const char *name)
{
	for (size_t i = 0; p && name && i < p->npbx; i++)
		if (strcmp(p->pbx[i].name, name) == 0)
			return &p->pbx[i];
	return NULL;
}

const char *pbxsim_url(struct pbxsim_proc *p, const char *pbx_name)
{
	struct pbxsim_pbx *x = find(p, pbx_name);

	return x ? x->url : NULL;
}

unsigned pbxsim_port(struct pbxsim_proc *p, const char *pbx_name)
{
	struct pbxsim_pbx *x = find(p, pbx_name);

	return x ? x->port : 0;
}

unsigned pbxsim_control_port(struct pbxsim_proc *p)
{
	return p ? p->control_port : 0;
}

pid_t pbxsim_pid(struct pbxsim_proc *p)
{
	return p ? p->pid : -1;
}

size_t pbxsim_pbx_count(struct pbxsim_proc *p)
{
	return p ? p->npbx : 0;
}

const char *pbxsim_pbx_name(struct pbxsim_proc *p, size_t i)
{
	return p && i < p->npbx ? p->pbx[i].name : NULL;
}

static int connect_control(struct pbxsim_proc *p)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return TSP8_EIO;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)p->control_port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return TSP8_ECONNECT;
	}
	p->ctl_fd = fd;
	p->inlen = 0;
	return TSP8_OK;
}

int pbxsim_cmd(struct pbxsim_proc *p, char *reply, size_t len, const char *fmt, ...)
{
	char line[CMD_LINE_MAX + 2], *ans;
	va_list ap;
	int n, rc;

	if (reply && len)
		reply[0] = '\0';
	if (!p || !fmt)
		return TSP8_EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		return TSP8_EINVAL;
	ans = malloc(ANSWER_MAX);
	if (!ans)
		return TSP8_ENOMEM;
	line[n++] = '\n';
	if (p->ctl_fd < 0 && (rc = connect_control(p)) != TSP8_OK) {
		free(ans);
		return rc;
	}
	if (send(p->ctl_fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		close(p->ctl_fd);
		p->ctl_fd = -1;
		free(ans);
		return TSP8_EIO;
	}
	rc = read_line(p->ctl_fd, p->inbuf, sizeof(p->inbuf), &p->inlen, ans, ANSWER_MAX,
		       now_ms() + CMD_TIMEOUT_MS);
	if (rc < 0) {
		close(p->ctl_fd);
		p->ctl_fd = -1;
		free(ans);
		return rc == -2 ? TSP8_ETIMEOUT : TSP8_EIO;
	}
	if (reply && len)
		snprintf(reply, len, "%s", ans);
	rc = strncmp(ans, "ok", 2) == 0 ? TSP8_OK : TSP8_EREFUSED;
	free(ans);
	return rc;
}

void pbxsim_stop(struct pbxsim_proc *p)
{
	if (!p)
		return;
	if (pbxsim_cmd(p, NULL, 0, "quit") != TSP8_OK)
		kill(p->pid, SIGTERM);
	kill_and_reap(p->pid, STOP_TIMEOUT_MS);
	if (p->ctl_fd >= 0)
		close(p->ctl_fd);
	close(p->out_fd);
	free(p->pbx);
	free(p);
}

int pbxsim_write_temp(char *path, size_t len, const char *content)
{
	const char *dir = getenv("TMPDIR");
	size_t n = strlen(content ? content : "");
	char rnd[7];
	int fd;

	if (!path || !content)
		return TSP8_EINVAL;
	/* mkstemps replaces six 'X' characters before the suffix. */
	memset(rnd, 'X', 6);
	rnd[6] = '\0';
	if (snprintf(path, len, "%s/pbxsim-tree-%s.json", dir && *dir ? dir : "/tmp", rnd) >=
	    (int)len)
		return TSP8_EINVAL;
	fd = mkstemps(path, 5);
	if (fd < 0)
		return TSP8_EIO;
	if (write(fd, content, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return TSP8_EIO;
	}
	close(fd);
	return TSP8_OK;
}

void pbxsim_remove_temp(const char *path)
{
	if (path && *path)
		unlink(path);
}

int pbxsim_run(const char *args, int *exit_code, char *err, size_t errlen)
{
	char *copy = strdup(args ? args : ""), *argv[MAX_ARGS];
	int out_fd, err_fd, status = 0;
	size_t have = 0;
	long long deadline = now_ms() + 10000;
	pid_t pid;
	bool killed = false;

	if (err && errlen)
		err[0] = '\0';
	if (!copy)
		return TSP8_ENOMEM;
	argv[0] = (char *)PBXSIM_PATH;
	if (build_argv(copy, argv, 1) < 0) {
		free(copy);
		return TSP8_EINVAL;
	}
	pid = spawn(argv, &out_fd, &err_fd);
	free(copy);
	if (pid < 0)
		return TSP8_EIO;
	close(out_fd);
	/* Collect stderr until it closes (the process ended) or time is up. */
	for (;;) {
		struct pollfd pfd = { .fd = err_fd, .events = POLLIN };
		char tmp[512];
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			kill(pid, SIGKILL);
			killed = true;
			break;
		}
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(err_fd, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		if (err && have + 1 < errlen) {
			size_t c = (size_t)n < errlen - 1 - have ? (size_t)n : errlen - 1 - have;

			memcpy(err + have, tmp, c);
			have += c;
			err[have] = '\0';
		}
	}
	close(err_fd);
	waitpid(pid, &status, 0);
	if (exit_code)
		*exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return killed ? TSP8_ETIMEOUT : TSP8_OK;
}

int pbxsim_gen_tree(const char *spec, char *path, size_t len)
{
	char *argv[4];
	int fd, status = 0;
	pid_t pid;

	if (!spec || !path || pbxsim_write_temp(path, len, "") != TSP8_OK)
		return TSP8_EIO;
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		unlink(path);
		return TSP8_EIO;
	}
	argv[0] = (char *)PBXSIM_PATH;
	argv[1] = (char *)"--gen-tree";
	argv[2] = (char *)spec;
	argv[3] = NULL;
	pid = fork();
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		dup2(fd, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fd);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		unlink(path);
		return TSP8_EIO;
	}
	return TSP8_OK;
}
