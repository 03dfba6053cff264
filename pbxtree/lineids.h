/* Permanent line IDs: line GUID -> DWORD, persisted in the lineGUIDs subkey
 * of the configuration store (the reference's layout).
 *
 * Rules: the first ID is 0x00010001, each new GUID gets the highest ID ever
 * stored + 1; entries are never removed, so an ID is never reused and the map
 * never shrinks.  GUIDs compare case-insensitively, like registry value
 * names.
 *
 * Writes are batched: lineids_get hands out a new ID at once (in memory)
 * together with its allocation sequence number; lineids_commit writes every
 * entry allocated so far with ONE cfg_commit (atomic: temp file + rename), so
 * a burst of 10,000 new lines costs a few file rewrites, not 10,000.  The
 * owner must not announce an ID to anyone outside the process before
 * lineids_committed() has reached its sequence number: then a crash at any
 * moment never loses an ID that was reported.
 *
 * Thread safety: every function may be called from any thread.  Lookups and
 * allocations never wait for a commit that is writing the file.
 */
#ifndef TSP8_PBXTREE_LINEIDS_H
#define TSP8_PBXTREE_LINEIDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEIDS_SUBKEY "lineGUIDs"
#define LINEIDS_FIRST  0x00010001u

struct cfg;
struct trace;
struct lineids;

/* Loads the map from store (NULL: IDs live in memory only and count as
 * committed at once).  The store is used exclusively by this object from
 * now on.  Bad entries (not a DWORD, ID 0, duplicates) are skipped with a
 * warning. */
int  lineids_create(struct lineids **out, struct cfg *store, struct trace *tr);
void lineids_destroy(struct lineids *ids);

/* The ID of guid, allocating a new one when guid is unknown.  *seq
 * (optional) gets the entry's allocation sequence number: 0 for entries
 * that were loaded or are committed already, else a number that is durable
 * once lineids_committed() >= it.  TSP8_EINVAL for an empty guid,
 * TSP8_ELIMIT when the ID space is exhausted, TSP8_ENOMEM. */
int  lineids_get(struct lineids *ids, const char *guid, uint32_t *id, uint64_t *seq);
/* Lookup only: TSP8_ENOTFOUND when guid has no ID. */
int  lineids_find(struct lineids *ids, const char *guid, uint32_t *id);
/* Number of entries / entries not yet committed. */
size_t lineids_count(struct lineids *ids);
size_t lineids_pending(struct lineids *ids);
/* Highest allocation sequence number that is committed. */
uint64_t lineids_committed(struct lineids *ids);

/* Writes every pending entry with one atomic commit.  Commits are
 * serialised.  A failed write is traced as a warning; the entries then
 * count as committed anyway (they live in memory until the process ends and
 * are written again with the next successful commit), and the error is
 * returned.  Number of entries written in *written (optional). */
int  lineids_commit(struct lineids *ids, size_t *written);

#endif
