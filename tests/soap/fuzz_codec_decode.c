/* libFuzzer target: every decoder on arbitrary bytes.  Built only with
 * -DTSP8_FUZZ=ON and clang; run e.g.
 *   ./fuzz_codec_decode -max_total_time=60 ../../tests/soap/fixtures
 * The first input byte selects the decoder, the rest is the message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/error.h"
#include "soap/pbx_rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pbx_codec *cx = NULL;
	struct pbx_err err;
	const char *xml;
	size_t len;
	int rc = TSP8_OK;

	if (size < 1 || pbx_codec_create(&cx) != TSP8_OK)
		return 0;
	xml = (const char *)data + 1;
	len = size - 1;
	switch (data[0] % 8) {
	case 0: {
		struct pbx_poll_result *r = NULL;
		rc = pbx_dec_poll(cx, xml, len, &r, &err);
		pbx_poll_free(r);
		break;
	}
	case 1: {
		struct pbx_version_result *r = NULL;
		rc = pbx_dec_version(cx, xml, len, &r, &err);
		pbx_version_free(r);
		break;
	}
	case 2: {
		struct pbx_users_result *r = NULL;
		rc = pbx_dec_find_user(cx, xml, len, &r, &err);
		pbx_users_free(r);
		break;
	}
	case 3: {
		struct pbx_users_result *r = NULL;
		rc = pbx_dec_user_find_destination(cx, xml, len, &r, &err);
		pbx_users_free(r);
		break;
	}
	case 4: {
		struct pbx_calls_result *r = NULL;
		rc = pbx_dec_calls(cx, xml, len, &r, &err);
		pbx_calls_free(r);
		break;
	}
	case 5: {
		struct pbx_devices_result *r = NULL;
		rc = pbx_dec_devices(cx, xml, len, &r, &err);
		pbx_devices_free(r);
		break;
	}
	case 6: {
		char *s = NULL;
		rc = pbx_dec_string(cx, xml, len, PBX_OP_ADMIN, &s, &err);
		free(s);
		break;
	}
	default: {
		int session = 0, key = 0;
		rc = pbx_dec_initialize(cx, xml, len, &session, &key, &err);
		break;
	}
	}
	pbx_codec_destroy(cx);
	if (rc != TSP8_OK && rc != TSP8_EPROTO && rc != TSP8_EFAULT)
		abort();
	return 0;
}
