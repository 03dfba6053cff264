/* Private to soap/: the codec object and the helpers shared by the encoder
 * and decoder files.  Includes gSOAP headers, so it must never be included
 * from a public soap/ header. */
#ifndef TSP8_SOAP_INTERNAL_H
#define TSP8_SOAP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include "soapH.h"
#include "soap/pbx_rpc.h"

#if defined(__GNUC__)
#define CODEC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CODEC_PRINTF(fmt, args)
#endif

/* One reusable gSOAP context plus the memory it reads from / writes into.
 * gSOAP never touches a socket: fsend appends to out, frecv reads from in. */
struct pbx_codec {
	struct soap *soap;

	/* Output capture of the message being serialized (malloc'd; handed to
	 * the caller's pbx_msg on success). */
	char *out;
	size_t out_len, out_cap;

	/* Private copy of the message being parsed (grows to the largest
	 * message seen and is reused).  A copy because codec_xml_neutralize_arrays
	 * patches it before gSOAP reads it. */
	char *in;
	size_t in_len, in_cap, in_pos;

	/* Poll answers: cut the UserInfo array out before parsing (its
	 * owner does not need it; see codec_xml_cut_poll_users). */
	bool drop_poll_users;

	/* gSOAP holds data of a message (soap_end not called since): cleaning
	 * a clean context still walks gSOAP's hash tables, a measurable cost
	 * per message when thousands of lines are monitored at once. */
	bool dirty;
};

/* soap_end when the context holds a message's data. */
void codec_clean(struct pbx_codec *cx);

/* Maps the context's (local) gSOAP error to a TSP8 code and fills err (may
 * be NULL): out of memory -> TSP8_ENOMEM, anything else -> TSP8_EPROTO with
 * gSOAP's reason. */
int codec_error(struct pbx_codec *cx, struct pbx_err *err);
/* Parses the SOAP Fault gSOAP is positioned on: TSP8_EFAULT with the
 * faultstring in err, or TSP8_EPROTO when the Fault itself is malformed. */
int codec_fault(struct pbx_codec *cx, struct pbx_err *err);

/* Sets err->msg (err may be NULL) and returns code. */
int codec_fail(struct pbx_err *err, int code, const char *fmt, ...) CODEC_PRINTF(3, 4);

/* --- serializing (encode.c) --- */
/* Prepares cx for serializing one request of op. */
int codec_send_begin(struct pbx_codec *cx, struct pbx_msg *m, enum pbx_op op);
/* Completes a request: gerr is the soap_send_* result.  On success the
 * captured XML moves into m; on failure m stays empty. */
int codec_send_end(struct pbx_codec *cx, struct pbx_msg *m, int gerr);

/* --- parsing (decode.c) --- */
/* Loads xml into cx, reads the envelope up to the first body element and
 * checks that it is "<op name>Response" (any namespace prefix).  A Fault is
 * reported as TSP8_EFAULT.  On success gSOAP is positioned on the response
 * element: call the generated soap_get_<ns>__<Op>Response(soap, r, "", NULL)
 * next, then codec_recv_end. */
int codec_recv_begin(struct pbx_codec *cx, const char *xml, size_t len, enum pbx_op op, struct pbx_err *err);
/* Checks the generated getter's outcome and reads the rest of the envelope
 * (multiRef values, end tags); resolves href references. */
int codec_recv_end(struct pbx_codec *cx, struct pbx_err *err);
/* Frees everything gSOAP allocated for the last message. */
void codec_recv_release(struct pbx_codec *cx);

/* Renames SOAP-encoding array attributes (arrayType, arraySize, itemType)
 * in xml[0..len) in place, so that gSOAP reads every encoded array in its
 * size-less mode: all members are read whatever the declared size or item
 * type says (see the comment in codec_xml.c).  Returns how many attributes
 * were renamed. */
size_t codec_xml_neutralize_arrays(char *xml, size_t len);
/* Cuts the UserInfo array out of a PollResponse (the <user> child of
 * <return>, whatever its prefix), in place, so that gSOAP neither parses nor
 * allocates it.  Returns the new length (len when there is none).  For
 * sessions whose owner does not use UserInfo records (a PBX tree's slave
 * sessions receive the whole replicated directory again). */
size_t codec_xml_cut_poll_users(char *xml, size_t len);
void codec_set_drop_poll_users(struct pbx_codec *cx, bool on);

/* UTF-8 clean-up (codec_utf8.c): length in bytes (without NUL) of str with
 * every invalid UTF-8 sequence replaced by U+FFFD, and the copy itself
 * (dst must hold codec_utf8_clean_len(str) + 1 bytes). */
size_t codec_utf8_clean_len(const char *str);
void codec_utf8_clean(char *dst, const char *str);

#endif
