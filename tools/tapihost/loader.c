/* Provider loading and export resolution (see loader.h). */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "sbuf.h"

/* Function pointers are stored through memcpy from the void * that the
 * loader returns; both have the same size on every target we build for. */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers fit a void *");

struct export_slot {
	const char *name;
	size_t offset;
	int required;
};

#define SLOT(field, req) { "TSPI_" #field, offsetof(struct tspi, field), req }

static const struct export_slot slots[] = {
	SLOT(lineNegotiateTSPIVersion, 1),
	SLOT(providerEnumDevices, 1),
	SLOT(providerInit, 1),
	SLOT(providerShutdown, 1),
	SLOT(lineGetDevCaps, 1),
	SLOT(lineOpen, 1),
	SLOT(lineClose, 1),
	SLOT(lineGetAddressCaps, 0),
	SLOT(lineSetDefaultMediaDetection, 0),
	SLOT(providerCreateLineDevice, 0),
	SLOT(lineCloseCall, 0),
	SLOT(lineGetCallInfo, 0),
	SLOT(lineGetCallStatus, 0),
	SLOT(lineMakeCall, 0),
	SLOT(lineAnswer, 0),
	SLOT(lineDrop, 0),
	SLOT(lineHold, 0),
	SLOT(lineUnhold, 0),
	SLOT(lineDial, 0),
};

int loader_open(struct tspi **out, const char *path, char *err, size_t cap)
{
	if (!out || !path || !err || cap == 0)
		return TSP8_EINVAL;
	struct tspi *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, cap, "out of memory");
		return TSP8_ENOMEM;
	}
	int rc = plat_dl_open(&t->dl, path);
	if (rc != TSP8_OK) {
		const char *why = plat_dl_error();
		snprintf(err, cap, "cannot load %s: %s", path, why ? why : tsp8_strerror(rc));
		free(t);
		return rc;
	}
	struct sbuf missing;
	sb_init(&missing, err, cap);
	for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
		void *sym = plat_dl_sym(t->dl, slots[i].name);
		if (sym) {
			memcpy((char *)t + slots[i].offset, &sym, sizeof sym);
		} else if (slots[i].required) {
			if (missing.len == 0)
				sb_printf(&missing, "%s lacks required export(s):", path);
			sb_printf(&missing, " %s", slots[i].name);
		}
	}
	if (missing.len) {
		plat_dl_close(t->dl);
		free(t);
		return TSP8_ENOTFOUND;
	}
	*out = t;
	return TSP8_OK;
}

void loader_close(struct tspi *t)
{
	if (!t)
		return;
	plat_dl_close(t->dl);
	free(t);
}
