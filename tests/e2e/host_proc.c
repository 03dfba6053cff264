/* Child-process wrapper around tapihost for end-to-end tests (see
 * host_proc.h).  A reader thread appends stdout lines to a list guarded by
 * one mutex; waiters sleep on a condition variable. */
#define _GNU_SOURCE
#include "host_proc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct host_proc {
	pid_t pid;
	int in_fd;              /* tapihost's stdin */
	FILE *out;              /* tapihost's stdout */
	pthread_t reader;
	bool reader_joined;     /* host_stop joined it to show the output */
	pthread_mutex_t lock;   /* guards lines, nlines, cap, eof */
	pthread_cond_t cond;    /* signalled on each new line and on EOF */
	char **lines;
	size_t nlines, cap;
	bool eof;
	bool killed;            /* host_kill_keep: reaped already */
};

static void *reader_main(void *arg)
{
	struct host_proc *h = arg;
	char *buf = NULL;
	size_t len = 0;
	ssize_t n;

	while ((n = getline(&buf, &len, h->out)) >= 0) {
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		char *copy = strdup(buf);
		pthread_mutex_lock(&h->lock);
		if (copy && h->nlines == h->cap) {
			size_t cap = h->cap ? h->cap * 2 : 256;
			char **l = realloc(h->lines, cap * sizeof(*l));
			if (l) {
				h->lines = l;
				h->cap = cap;
			}
		}
		if (copy && h->nlines < h->cap)
			h->lines[h->nlines++] = copy;
		else
			free(copy);
		pthread_cond_broadcast(&h->cond);
		pthread_mutex_unlock(&h->lock);
	}
	free(buf);
	pthread_mutex_lock(&h->lock);
	h->eof = true;
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

int host_start(struct host_proc **out, const char *config_path, const char *extra_args)
{
	int in[2], outp[2];
	char cmd[4096];

	if (!out || !config_path)
		return -1;
	if (pipe(in) != 0)
		return -1;
	if (pipe(outp) != 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	snprintf(cmd, sizeof(cmd), "exec '%s' --provider '%s' --config '%s' --json %s",
		 TAPIHOST_PATH, PROVIDER_PATH, config_path, extra_args ? extra_args : "");
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(outp[1], 1);
		close(in[0]);
		close(in[1]);
		close(outp[0]);
		close(outp[1]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	struct host_proc *h = calloc(1, sizeof(*h));
	if (!h) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(in[1]);
		close(outp[0]);
		return -1;
	}
	h->pid = pid;
	h->in_fd = in[1];
	h->out = fdopen(outp[0], "r");
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
	if (!h->out || pthread_create(&h->reader, NULL, reader_main, h) != 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(in[1]);
		if (h->out)
			fclose(h->out);
		else
			close(outp[0]);
		free(h);
		return -1;
	}
	*out = h;
	return 0;
}

int host_send(struct host_proc *h, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf) - 1)
		return -1;
	buf[n++] = '\n';
	return write(h->in_fd, buf, (size_t)n) == n ? 0 : -1;
}

static bool line_matches(const char *line, va_list needles)
{
	const char *n;
	while ((n = va_arg(needles, const char *)) != NULL)
		if (!strstr(line, n))
			return false;
	return true;
}

char *host_wait(struct host_proc *h, size_t *pos, unsigned timeout_ms, ...)
{
	struct timespec deadline;
	char *found = NULL;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&h->lock);
	for (;;) {
		for (; *pos < h->nlines; (*pos)++) {
			va_list ap;
			va_start(ap, timeout_ms);
			bool ok = line_matches(h->lines[*pos], ap);
			va_end(ap);
			if (ok) {
				found = strdup(h->lines[*pos]);
				(*pos)++;
				goto done;
			}
		}
		if (h->eof)
			break;
		if (pthread_cond_timedwait(&h->cond, &h->lock, &deadline) == ETIMEDOUT)
			break;
	}
done:
	pthread_mutex_unlock(&h->lock);
	return found;
}

size_t host_lines(struct host_proc *h)
{
	pthread_mutex_lock(&h->lock);
	size_t n = h->nlines;
	pthread_mutex_unlock(&h->lock);
	return n;
}

const char *host_line(struct host_proc *h, size_t i)
{
	pthread_mutex_lock(&h->lock);
	const char *l = i < h->nlines ? h->lines[i] : NULL;
	pthread_mutex_unlock(&h->lock);
	return l;
}

long host_pid(const struct host_proc *h)
{
	return (long)h->pid;
}

size_t host_count(struct host_proc *h, const char *needle)
{
	size_t n = 0;
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->nlines; i++)
		if (strstr(h->lines[i], needle))
			n++;
	pthread_mutex_unlock(&h->lock);
	return n;
}

void host_dump(struct host_proc *h)
{
	pthread_mutex_lock(&h->lock);
	for (size_t i = 0; i < h->nlines; i++)
		fprintf(stderr, "tapihost| %s\n", h->lines[i]);
	pthread_mutex_unlock(&h->lock);
}

/* Reaps the child (status given) and frees h. */
static int host_free(struct host_proc *h, int status)
{
	if (!h->reader_joined)
		pthread_join(h->reader, NULL);
	fclose(h->out);
	for (size_t i = 0; i < h->nlines; i++)
		free(h->lines[i]);
	free(h->lines);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->cond);
	free(h);
	return status;
}

void host_kill(struct host_proc *h)
{
	if (!h)
		return;
	kill(h->pid, SIGKILL);
	close(h->in_fd);
	waitpid(h->pid, NULL, 0);
	host_free(h, -1);
}

void host_kill_keep(struct host_proc *h)
{
	if (!h)
		return;
	kill(h->pid, SIGKILL);
	close(h->in_fd);
	waitpid(h->pid, NULL, 0);
	h->killed = true;
	/* the reader sees EOF: every line written before the kill is in */
	pthread_mutex_lock(&h->lock);
	while (!h->eof)
		pthread_cond_wait(&h->cond, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

char *host_write_config_text(const char *text)
{
	char tmpl[] = "/tmp/tsp8-e2e-XXXXXX.reg";
	int fd = mkstemps(tmpl, 4);
	if (fd < 0)
		return NULL;
	size_t n = strlen(text);
	bool ok = write(fd, text, n) == (ssize_t)n;
	close(fd);
	if (!ok) {
		unlink(tmpl);
		return NULL;
	}
	return strdup(tmpl);
}

int host_stop(struct host_proc *h)
{
	int status = -1;

	if (!h)
		return -1;
	if (h->killed)
		return host_free(h, -1);
	host_send(h, "quit");
	close(h->in_fd);
	for (int i = 0; i < 150; i++) {
		pid_t r = waitpid(h->pid, &status, WNOHANG);
		if (r == h->pid)
			break;
		if (i == 149) {
			kill(h->pid, SIGKILL);
			waitpid(h->pid, &status, 0);
			status = -1;
			break;
		}
		usleep(100000);
	}
	int rc = status == -1 ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	if (rc != 0) {
		/* a failing exit says why in tapihost's own output (VIOLATION,
		 * END): shown, so that a rare failure can be told from the log */
		pthread_join(h->reader, NULL);
		h->reader_joined = true;
		fprintf(stderr, "host_stop: tapihost exit status %d (raw %d); its output:\n", rc,
			status);
		host_dump(h);
	}
	host_free(h, status);
	return rc;
}

char *host_write_config(const char *master_url, const char *tapi_user,
			const char *account, const char *password, const char *extra)
{
	char tmpl[] = "/tmp/tsp8-e2e-XXXXXX.reg";
	int fd = mkstemps(tmpl, 4);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return NULL;
	}
	const char *key = "HKEY_LOCAL_MACHINE\\SOFTWARE\\innovaphone\\innovaphone\xc2\xae PBX V8 TAPI Service Provider";
	fprintf(f, "REGEDIT4\n\n[%s]\n\"TapiUser\"=\"%s\"\n\"admin2-free\"=\"%s\"\n"
		"\"admin1-free\"=\"%s\"\n\"LineTimeOut\"=dword:0000000a\n%s\n[%s\\FQDN]\n\"0\"=\"%s\"\n",
		key, tapi_user, account, password, extra ? extra : "", key, master_url);
	fclose(f);
	return strdup(tmpl);
}

long host_json_int(const char *line, const char *name)
{
	cJSON *j = cJSON_Parse(line);
	long v = -1;
	if (j) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(j, name);
		if (cJSON_IsNumber(m))
			v = (long)m->valuedouble;
		cJSON_Delete(j);
	}
	return v;
}

const char *host_json_str(const char *line, const char *name, char *buf, size_t len)
{
	cJSON *j = cJSON_Parse(line);
	buf[0] = '\0';
	if (j) {
		cJSON *m = cJSON_GetObjectItemCaseSensitive(j, name);
		if (cJSON_IsString(m))
			snprintf(buf, len, "%s", m->valuestring);
		cJSON_Delete(j);
	}
	return buf;
}
