/* Lookup helpers over decoded PBX records (soap/pbx_records.h). */
#include <string.h>

#include "soap/pbx_records.h"

/* First record of type in a pbx_info array, or NULL. */
static const struct pbx_info *find_info(const struct pbx_info *info, size_t n, const char *type)
{
	for (size_t i = 0; info && type && i < n; i++)
		if (strcmp(info[i].type, type) == 0)
			return &info[i];
	return NULL;
}

const struct pbx_no *pbx_call_no(const struct pbx_call *c, const char *type)
{
	if (!c || !type)
		return NULL;
	for (size_t i = 0; c->nos && i < c->nnos; i++)
		if (strcmp(c->nos[i].type, type) == 0)
			return &c->nos[i];
	return NULL;
}

const struct pbx_info *pbx_call_info(const struct pbx_call *c, const char *type)
{
	return c ? find_info(c->info, c->ninfo, type) : NULL;
}

const struct pbx_info *pbx_user_info(const struct pbx_user *u, const char *type)
{
	return u ? find_info(u->info, u->ninfo, type) : NULL;
}
