/* Version() of one PBX, fetched by the tree itself: the session API reports
 * the firmware only, while line names (%x) need the PBX name, i.e. the
 * GatekeeperID of Version().  No session is needed for Version(). */
#ifndef TSP8_PBXTREE_PBXVER_H
#define TSP8_PBXTREE_PBXVER_H

#include <stdbool.h>
#include <stdint.h>

struct pbx_io;
struct trace;

struct pbxver_req {
	const char *url;
	const char *user, *password;
	const char *ca_file;
	bool insecure;
	uint32_t timeout_ms;
	struct trace *tr;
};

/* err = TSP8_OK with the PBX name and firmware (both may be ""), or an
 * error (then both are ""). Called on the I/O thread, exactly once when
 * pbxver_fetch returned TSP8_OK (TSP8_ECANCELED when pbx_io shuts down). */
typedef void (pbxver_done_fn)(void *arg, int err, const char *gatekeeper_id, const char *firmware);

/* Starts the request; *id (optional) is the pbx_io request ID for
 * pbx_io_cancel. */
int pbxver_fetch(struct pbx_io *io, const struct pbxver_req *req, pbxver_done_fn *done, void *arg,
		 uint64_t *id);

#endif
