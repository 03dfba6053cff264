/* pbxsim wire variance: rewrites a serialized SOAP response the way other
 * PBX firmware writes it (pbx-soap-api.md §1 array member names, §4.1
 * UserInfo element order) or with unknown extra elements, so clients that
 * depend on one exact shape fail in tests. */
#ifndef PBXSIM_WIRE_H
#define PBXSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "strbuf.h"

/* True when w asks for any change (else the response goes out as is). */
bool wire_active(const struct sim_wire *w);

/* Rewrites the XML in (len bytes) into out.  TSP8_OK; TSP8_ESYNTAX when the
 * input is not XML (then out is untouched and the caller sends `in`). */
int wire_rewrite(const struct sim_wire *w, const char *in, size_t len, struct strbuf *out);

/* Removes gSOAP's SOAP-ENC:position="[n]" attributes (written for arrays
 * of pointers; a PBX never sends them) in place. */
void wire_strip_positions(struct strbuf *sb);

#endif
