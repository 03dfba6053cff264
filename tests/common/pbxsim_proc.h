/* Test helper: run tools/pbxsim as a child process and script it.
 *
 *   struct pbxsim_proc *sim;
 *   char tree[256], reply[512];
 *   pbxsim_write_temp(tree, sizeof(tree), "{\"pbxs\":[...]}");
 *   pbxsim_start(&sim, tree, "--poll-idle 1");
 *   curl ... pbxsim_url(sim, "master") ...
 *   pbxsim_cmd(sim, reply, sizeof(reply), "dial master %s %s", "alice", "22");
 *   pbxsim_stop(sim);
 *   pbxsim_remove_temp(tree);
 *
 * Linux only (fork/exec, prctl).  The child gets SIGTERM when the test
 * process dies, so a crashing test leaves no simulator behind.  Return
 * codes are TSP8_* from base/error.h.
 */
#ifndef TSP8_TESTS_PBXSIM_PROC_H
#define TSP8_TESTS_PBXSIM_PROC_H

#include <stddef.h>
#include <sys/types.h>

struct pbxsim_proc;

/* Starts pbxsim --tree tree_json_path [extra_args] (extra_args: words
 * separated by spaces, may be NULL) and waits up to 10 s for READY.
 * TSP8_OK; TSP8_EIO (could not start / exited early: its stderr is on
 * ours); TSP8_ETIMEOUT; TSP8_EPROTO (unexpected output); TSP8_ENOMEM. */
int pbxsim_start(struct pbxsim_proc **out, const char *tree_json_path, const char *extra_args);

/* SOAP endpoint URL of a PBX ("http://127.0.0.1:N/PBX0/user.soap"); NULL
 * when the simulator announced no PBX of that name. */
const char *pbxsim_url(struct pbxsim_proc *p, const char *pbx_name);
/* Loopback port of a PBX, 0 when unknown. */
unsigned pbxsim_port(struct pbxsim_proc *p, const char *pbx_name);
/* Loopback control port. */
unsigned pbxsim_control_port(struct pbxsim_proc *p);
/* Process id of the simulator. */
pid_t pbxsim_pid(struct pbxsim_proc *p);
/* Number of announced PBXs and the name of the i-th (NULL past the end). */
size_t pbxsim_pbx_count(struct pbxsim_proc *p);
const char *pbxsim_pbx_name(struct pbxsim_proc *p, size_t i);

/* Sends one control command (printf-style, no newline) over the control
 * port and reads the one-line answer into reply (without newline; may be
 * NULL).  TSP8_OK when the answer starts with "ok", TSP8_EREFUSED for
 * "error ...", TSP8_EIO / TSP8_ETIMEOUT (5 s) on transport trouble. */
int pbxsim_cmd(struct pbxsim_proc *p, char *reply, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sends quit, waits up to 5 s, then kills with SIGKILL; frees p.  Safe
 * with NULL. */
void pbxsim_stop(struct pbxsim_proc *p);

/* Writes content to a new temporary file ("/tmp/pbxsim-tree-<random>.json" or
 * under $TMPDIR) and puts its path into path.  TSP8_OK / TSP8_EIO. */
int pbxsim_write_temp(char *path, size_t len, const char *content);
/* Removes a file made by pbxsim_write_temp. */
void pbxsim_remove_temp(const char *path);

/* Runs "pbxsim --gen-tree spec" into a new temporary file (path as for
 * pbxsim_write_temp; remove it with pbxsim_remove_temp).  TSP8_OK, or
 * TSP8_EIO when pbxsim failed (bad spec: its message is on our stderr). */
int pbxsim_gen_tree(const char *spec, char *path, size_t len);

/* Runs pbxsim with the given arguments (space-separated words) to its end
 * (at most 10 s; stdin is /dev/null, so it is expected to fail on its own),
 * stores its exit code and the start of its stderr.  TSP8_OK when it
 * exited, TSP8_ETIMEOUT when it had to be killed. */
int pbxsim_run(const char *args, int *exit_code, char *err, size_t errlen);

#endif
