/* Permanent line IDs: line GUID -> DWORD, persisted in the lineGUIDs subkey
 * of the configuration store (the reference's layout).
 *
 * Rules: the first ID is 0x00010001, each new GUID gets the highest ID ever
 * stored + 1; entries are never removed, so an ID is never reused and the map
 * never shrinks.  Every new entry is written with cfg_set_dword + cfg_commit
 * (atomic) before the ID is handed out.  GUIDs compare case-insensitively,
 * like registry value names.
 */
#ifndef TSP8_PBXTREE_LINEIDS_H
#define TSP8_PBXTREE_LINEIDS_H

#include <stddef.h>
#include <stdint.h>

#define LINEIDS_SUBKEY "lineGUIDs"
#define LINEIDS_FIRST  0x00010001u

struct cfg;
struct trace;
struct lineids;

/* Loads the map from store (NULL: IDs live in memory only).  The store is
 * used exclusively by this object from now on (one thread at a time is
 * enough: the object has its own lock).  Bad entries (not a DWORD, ID 0)
 * are skipped with a warning. */
int  lineids_create(struct lineids **out, struct cfg *store, struct trace *tr);
void lineids_destroy(struct lineids *ids);

/* The ID of guid, allocating and persisting a new one when guid is unknown.
 * A failed write is traced as a warning and the ID is still handed out (it
 * then only lives until the process ends).  TSP8_EINVAL for an empty guid,
 * TSP8_ELIMIT when the ID space is exhausted. */
int  lineids_get(struct lineids *ids, const char *guid, uint32_t *id);
/* Lookup only: TSP8_ENOTFOUND when guid has no ID. */
int  lineids_find(struct lineids *ids, const char *guid, uint32_t *id);
/* Number of entries. */
size_t lineids_count(struct lineids *ids);

#endif
