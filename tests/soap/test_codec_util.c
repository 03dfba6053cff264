#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pbx_namespaces.h"
#include "test_codec_util.h"

char *fixture_load(const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TSP8_FIXTURE_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("missing fixture %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	assert_int_equal(fseek(f, 0, SEEK_SET), 0);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

static size_t rt_recv(struct soap *soap, char *s, size_t n)
{
	struct rt *rt = soap->user;
	size_t left = rt->len - rt->pos;

	if (n > left)
		n = left;
	memcpy(s, rt->buf + rt->pos, n);
	rt->pos += n;
	return n;
}

void rt_begin(struct rt *rt, const char *xml, size_t len)
{
	rt->buf = xml;
	rt->len = len;
	rt->pos = 0;
	rt->soap = soap_new1(SOAP_C_UTFSTRING | SOAP_ENC_PLAIN);
	assert_non_null(rt->soap);
	soap_set_namespaces(rt->soap, pbx_namespaces);
	rt->soap->user = rt;
	rt->soap->frecv = rt_recv;
	assert_int_equal(soap_begin_recv(rt->soap), SOAP_OK);
	assert_int_equal(soap_envelope_begin_in(rt->soap), SOAP_OK);
	assert_int_equal(soap_recv_header(rt->soap), SOAP_OK);
	assert_int_equal(soap_body_begin_in(rt->soap), SOAP_OK);
}

void rt_end(struct rt *rt)
{
	int e = rt->soap->error;

	if (!e && (soap_body_end_in(rt->soap) || soap_envelope_end_in(rt->soap) || soap_end_recv(rt->soap)))
		e = rt->soap->error;
	soap_end(rt->soap);
	soap_free(rt->soap);
	rt->soap = NULL;
	assert_int_equal(e, SOAP_OK);
}

int utf8_valid(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		uint32_t cp;
		int n;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0) {
			cp = *s & 0x1f;
			n = 1;
		} else if ((*s & 0xf0) == 0xe0) {
			cp = *s & 0x0f;
			n = 2;
		} else if ((*s & 0xf8) == 0xf0) {
			cp = *s & 0x07;
			n = 3;
		} else {
			return 0;
		}
		s++;
		for (int i = 0; i < n; i++, s++) {
			if ((*s & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (*s & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
	}
	return 1;
}
