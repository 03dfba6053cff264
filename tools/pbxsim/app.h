/* pbxsim application: the simulator plus one HTTP server per PBX; what the
 * control channel acts on. */
#ifndef PBXSIM_APP_H
#define PBXSIM_APP_H

#include <stdatomic.h>
#include <stddef.h>

#include "httpd.h"
#include "sim.h"

struct pbxsim_app {
	struct sim *sim;
	struct httpd **httpds;  /* parallel to sim->pbxs; owned */
	size_t n;
	atomic_bool quit;       /* a "quit" command arrived */
	int wake_fd;            /* written to on quit: wakes the main loop */
};

/* HTTP server of a PBX by name, NULL when unknown. */
struct httpd *app_httpd(struct pbxsim_app *app, const char *pbx_name);

#endif
