/* Asynchronous TSPI requests: a request either fails synchronously (it never
 * existed) or is completed exactly once, with 0 or a LINEERR code, through
 * the dispatcher.  Requests still outstanding at lineClose / lineCloseCall
 * are completed with LINEERR_OPERATIONFAILED.
 *
 * No lock of its own: the provider's model lock guards it (the dispatcher's
 * own lock is taken inside, which is the allowed order).
 */
#ifndef TSP8_TSP8_REQUEST_H
#define TSP8_TSP8_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tsp8/tapi_abi.h"

struct dispatch;
struct trace;
struct requests;

int  requests_create(struct requests **out, struct dispatch *d, struct trace *tr);
/* Frees every outstanding request without completing it (shutdown: TAPI
 * has closed everything already). */
void requests_destroy(struct requests *rq);

/* Registers request id for line_hd/call_hd.  The completion is allocated
 * now, so completing can never fail later.  TSP8_ENOMEM, TSP8_EEXIST for an
 * ID that is already outstanding. */
int  requests_add(struct requests *rq, DRV_REQUESTID id, uintptr_t line_hd, uintptr_t call_hd,
		  const char *what);
/* Completes id with result (0 or a LINEERR as LONG).  call_hd, when not 0,
 * must match the call the request was made for (TAPI may reuse an ID once
 * it was completed).  false when no such request is outstanding: nothing
 * happens then. */
bool requests_complete(struct requests *rq, DRV_REQUESTID id, uintptr_t call_hd, LONG result);
/* Forgets id without completing it (the TSPI function failed
 * synchronously after registering it). */
bool requests_forget(struct requests *rq, DRV_REQUESTID id);
/* Completes every request of line_hd / call_hd with OPERATIONFAILED;
 * returns how many. */
size_t requests_fail_line(struct requests *rq, uintptr_t line_hd);
size_t requests_fail_call(struct requests *rq, uintptr_t call_hd);
size_t requests_pending(const struct requests *rq);

#endif
