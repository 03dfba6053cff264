/* pbxsim tree tests: SOAP helpers on top of soap_http.h for multi-PBX
 * checks (dumps with loc, waiting for one UserInfo, LocationUrl, Echo,
 * Devices, Calls, UserCall).  Every helper asserts what must not fail. */
#ifndef TSP8_TESTS_PBXSIM_TREE_SOAP_H
#define TSP8_TESTS_PBXSIM_TREE_SOAP_H

#include <stdbool.h>
#include <stddef.h>

#include "soap_http.h"

#define TS_MAX_USERS 64

/* The whole dump of session s (without the end marker); the first max
 * records go to out.  Returns the number of records. */
size_t ts_dump(const char *url, int s, struct sh_user *out, size_t max);
/* Record of cn in a dump, NULL when absent. */
const struct sh_user *ts_find(const struct sh_user *u, size_t n, const char *cn);

/* Polls s until a UserInfo of cn with that active flag (and state, when
 * state >= 0) arrives or timeout_ms passed.  True with *out filled. */
bool ts_wait_user(const char *url, int s, const char *cn, bool active, int state,
		  long timeout_ms, struct sh_user *out);
/* Polls s for about ms and counts the UserInfo records of cn. */
int ts_count_user(const char *url, int s, const char *cn, long ms);
/* Polls s until `want` CallInfo records for user handle `user` arrived
 * (others are kept too).  Returns how many records (all users) came. */
size_t ts_wait_calls(const char *url, int s, int user, size_t want, struct sh_call *out,
		     size_t max);

/* LocationUrl(loc, tls=false) at url into out. */
void ts_location_url(const char *url, const char *loc, char *out, size_t len);
/* Initialize _TAPI_ (0 = refused) and Echo (0 = invalid). */
int ts_init(const char *url, int *key);
int ts_echo(const char *url, int s, int key);
/* Devices(s, cn): the raw answer body (caller frees), NULL on HTTP error. */
char *ts_devices(const char *url, int s, const char *cn);
/* Calls(s, cn): number of CallInfo records. */
int ts_calls_count(const char *url, int s, const char *cn);
/* UserCall(user, e164): the call handle (0 = refused). */
int ts_user_call(const char *url, int user, const char *e164);

#endif
