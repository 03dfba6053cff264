/* Parser for tapihost's stdin commands (one command per line):
 *   makecall <device> <number>    answer <call>    drop <call>
 *   hold <call>    unhold <call>    dial <call> <digits>
 *   lines    calls    quit    sleep <ms>    wait <text> <ms>
 * <call> is the hexadecimal call handle tapihost prints ("0x" optional).
 * Empty lines and lines starting with '#' are no command.
 */
#ifndef TAPIHOST_CMD_H
#define TAPIHOST_CMD_H

#include <stddef.h>
#include <stdint.h>

enum cmd_kind {
	CMD_NONE,
	CMD_MAKECALL,
	CMD_ANSWER,
	CMD_DROP,
	CMD_HOLD,
	CMD_UNHOLD,
	CMD_DIAL,
	CMD_LINES,
	CMD_CALLS,
	CMD_QUIT,
	CMD_SLEEP,
	CMD_WAIT,
};

#define CMD_TEXT_MAX 256
#define CMD_MAX_MS 3600000u

struct cmd {
	enum cmd_kind kind;
	uint32_t device;          /* makecall */
	uint64_t call;            /* answer, drop, hold, unhold, dial */
	uint32_t ms;              /* sleep, wait */
	char text[CMD_TEXT_MAX];  /* makecall number, dial digits, wait text */
};

/* Parses one line (trailing CR/LF allowed).  Returns 0 and fills *out, or
 * -1 with a one-line reason in err (cap bytes). */
int cmd_parse(const char *line, struct cmd *out, char *err, size_t cap);

/* "makecall", ...; "" for CMD_NONE. */
const char *cmd_name(enum cmd_kind kind);

#endif
