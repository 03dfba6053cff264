/* One output record, rendered either as a human line or as a JSON object.
 *
 * Every line tapihost prints is built as a rec so that both output modes
 * carry the same facts: the human form is "<NAME> key=value bare-value ...",
 * the JSON form {"event":"<name>","key":value,...}.  A field may exist in
 * only one of the forms (e.g. the decoded error name is bare in human mode
 * and "error" in JSON).
 */
#ifndef TAPIHOST_REC_H
#define TAPIHOST_REC_H

#include <stdbool.h>
#include <stdint.h>

#include "sbuf.h"

#define REC_MAX_FIELDS 20

enum rec_type { REC_INT, REC_STR, REC_BOOL };

struct rec_field {
	const char *jkey;  /* JSON key, NULL = not in JSON */
	const char *hkey;  /* human key, NULL = bare value; see human */
	bool human;        /* present in the human form */
	bool quote;        /* human form: "quoted and escaped" */
	bool raw;          /* human form: as is (free text, last field) */
	enum rec_type type;
	int64_t i;
	const char *s;     /* borrowed; must live until rendering */
};

struct rec {
	const char *hname; /* first word of the human line, e.g. "LINE" */
	const char *jname; /* value of "event" in JSON, e.g. "line" */
	int n;
	bool overflow;     /* more than REC_MAX_FIELDS were added */
	struct rec_field f[REC_MAX_FIELDS];
};

void rec_init(struct rec *r, const char *hname, const char *jname);
/* Field in both forms.  hkey NULL: the human form shows the bare value. */
void rec_int(struct rec *r, const char *jkey, const char *hkey, int64_t v);
void rec_str(struct rec *r, const char *jkey, const char *hkey, const char *s);
/* Like rec_str, but quoted in the human form (names with spaces). */
void rec_qstr(struct rec *r, const char *jkey, const char *hkey, const char *s);
/* Free text (may contain spaces): bare and unchanged in the human form,
 * so put it last. */
void rec_text(struct rec *r, const char *jkey, const char *s);
/* Field only in JSON / only in the human line. */
void rec_json_bool(struct rec *r, const char *jkey, bool v);
void rec_json_str(struct rec *r, const char *jkey, const char *s);
void rec_json_int(struct rec *r, const char *jkey, int64_t v);
void rec_human_str(struct rec *r, const char *hkey, const char *s);

void rec_render(const struct rec *r, bool json, struct sbuf *out);

#endif
