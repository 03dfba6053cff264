/* pbxsim call forwarding: follows the <cd> diversions stored per object by
 * Admin (pbx-soap-api.md §7): cfu always, cfb while the object has a call.
 * cfnr needs a no-answer timer and is left to the caller of the control
 * channel (answer/drop); it is stored and shown but not acted on. */
#include <string.h>

#include "base/error.h"
#include "calls.h"
#include "xml_mini.h"

#define FORWARD_MAX_HOPS 5

/* Destination number of the first <cd type=...> of o with an <ep>. */
static bool cd_target(const struct sim_object *o, const char *type, char *num, size_t len)
{
	for (size_t i = 0; i < o->ncds; i++) {
		struct xml_node *cd = NULL, *ep;
		const char *t, *v;
		bool found = false;

		if (xml_parse(o->cds[i], strlen(o->cds[i]), &cd, NULL, NULL, 0) != TSP8_OK)
			continue;
		t = xml_attr(cd, "type");
		ep = xml_child(cd, "ep");
		if (t && strcmp(t, type) == 0 && ep) {
			v = xml_attr(ep, "e164");
			if (!v || !*v)
				v = xml_attr(ep, "h323");
			if (v && *v) {
				xml_unescape(v, num, len);
				found = true;
			}
		}
		xml_free(cd);
		if (found)
			return true;
	}
	return false;
}

struct sim_object *calls_forward_target(struct sim_pbx *pbx, struct sim_object *to,
					 struct sim_object **fwd, char *ext, size_t extlen)
{
	*fwd = NULL;
	ext[0] = '\0';
	for (int hop = 0; to && hop < FORWARD_MAX_HOPS; hop++) {
		char num[SIM_NUM];
		struct sim_object *next;
		int ch, al;

		calls_count(pbx, to, &ch, &al);
		if (!cd_target(to, "cfu", num, sizeof(num)) &&
		    !(ch > 0 && cd_target(to, "cfb", num, sizeof(num))))
			break;
		*fwd = to;
		next = model_find_number(pbx, num);
		if (!next) {
			sim_strlcpy(ext, num, extlen);
			return model_trunk(pbx);
		}
		if (next == to)
			break;
		to = next;
	}
	return to;
}
