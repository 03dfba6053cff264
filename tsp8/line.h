/* Lines: the pbxtree lines as TAPI line devices (device IDs, lineOpen/
 * lineClose, LINE_CREATE/LINE_REMOVE, link state). */
#ifndef TSP8_TSP8_LINE_H
#define TSP8_TSP8_LINE_H

#include "pbxtree/pbxtree.h"
#include "tsp8/model.h"

/* pbxtree handler parts (pbx_io thread). */
void line_on_added(struct provider *p, const struct pbxtree_line_info *li);
void line_on_changed(struct provider *p, const struct pbxtree_line_info *li);
void line_on_removed(struct provider *p, uint32_t line_id);
void line_on_service(struct provider *p, uint32_t line_id, bool in_service);

/* The line indexes (provider create / free). */
int  line_index_init(struct provider *p);
void line_index_free(struct provider *p);

/* Lookups (model lock held).  NULL when absent, removed or unbound. */
struct line *line_by_device(struct provider *p, DWORD device_id);
struct line *line_by_perm(struct provider *p, uint32_t perm_id);
/* Also a removed line (the newest with that ID). */
struct line *line_by_perm_any(struct provider *p, uint32_t perm_id);
/* The open line of hdLine, NULL for garbage/stale/closed handles. */
struct line *line_by_handle(struct provider *p, HDRVLINE hd);

/* EnumDevices: orders the lines known now by permanent ID and fixes them as
 * the enumerated set; returns their number (model lock held). */
size_t line_fix_enumeration(struct provider *p);
/* providerInit: device IDs base+index for the enumerated lines, LINE_CREATE
 * for the others (model lock held). */
void line_bind_initial(struct provider *p);
/* providerCreateLineDevice. */
LONG line_create_device(struct provider *p, DWORD_PTR temp_id, DWORD device_id);

LONG line_open(struct provider *p, DWORD device_id, HTAPILINE ht, LPHDRVLINE lphd, DWORD version,
	       LINEEVENT proc);
LONG line_close(struct provider *p, HDRVLINE hd);

void line_free(struct line *l);

#endif
