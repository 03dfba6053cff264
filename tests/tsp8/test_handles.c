/* Handle table: garbage and stale handles are rejected, types are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>

#include "tsp8/handles.h"

static void test_basic(void **state)
{
	(void)state;
	struct handles *h;
	int a, b;
	assert_int_equal(handles_create(&h), 0);
	uintptr_t ha = handles_add(h, HANDLE_LINE, &a);
	uintptr_t hb = handles_add(h, HANDLE_CALL, &b);
	assert_true(ha != 0 && hb != 0 && ha != hb);
	assert_ptr_equal(handles_get(h, ha, HANDLE_LINE), &a);
	assert_ptr_equal(handles_get(h, hb, HANDLE_CALL), &b);
	/* wrong type */
	assert_null(handles_get(h, ha, HANDLE_CALL));
	assert_null(handles_get(h, hb, HANDLE_LINE));
	assert_int_equal(handles_count(h), 2);
	handles_remove(h, ha);
	assert_null(handles_get(h, ha, HANDLE_LINE));
	assert_int_equal(handles_count(h), 1);
	/* removing twice or garbage is harmless */
	handles_remove(h, ha);
	handles_remove(h, 0x12345678);
	assert_int_equal(handles_count(h), 1);
	assert_int_equal(handles_add(h, HANDLE_LINE, NULL), 0);
	handles_destroy(h);
}

static void test_stale_after_reuse(void **state)
{
	(void)state;
	struct handles *h;
	int a, b;
	assert_int_equal(handles_create(&h), 0);
	uintptr_t ha = handles_add(h, HANDLE_CALL, &a);
	handles_remove(h, ha);
	uintptr_t hb = handles_add(h, HANDLE_CALL, &b);   /* same slot, new generation */
	assert_true(hb != ha);
	assert_null(handles_get(h, ha, HANDLE_CALL));
	assert_ptr_equal(handles_get(h, hb, HANDLE_CALL), &b);
	/* many reuses of one slot never revive an old handle within the
	 * generation range */
	uintptr_t first = hb;
	for (int i = 0; i < 4000; i++) {
		handles_remove(h, hb);
		hb = handles_add(h, HANDLE_CALL, &b);
		assert_true(hb != 0);
		assert_null(handles_get(h, first, HANDLE_CALL));
	}
	handles_destroy(h);
}

static void test_garbage(void **state)
{
	(void)state;
	struct handles *h;
	int objs[100];
	assert_int_equal(handles_create(&h), 0);
	uintptr_t live[100];
	for (int i = 0; i < 100; i++)
		live[i] = handles_add(h, i % 2 ? HANDLE_CALL : HANDLE_LINE, &objs[i]);
	/* random values: only exact live handles resolve */
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		uintptr_t v = (uintptr_t)x;
		void *o = handles_get(h, v, HANDLE_LINE);
		if (!o)
			o = handles_get(h, v, HANDLE_CALL);
		if (o) {
			bool known = false;
			for (int k = 0; k < 100; k++)
				known |= live[k] == v;
			assert_true(known);
		}
	}
	/* pointer-like values and small integers */
	assert_null(handles_get(h, (uintptr_t)&objs[0], HANDLE_LINE));
	assert_null(handles_get(h, 0, HANDLE_LINE));
	assert_null(handles_get(h, 1, HANDLE_LINE));
	assert_null(handles_get(h, (uintptr_t)-1, HANDLE_CALL));
	assert_null(handles_get(h, live[0] | ((uintptr_t)1 << 31), HANDLE_LINE));
	assert_null(handles_get(NULL, live[0], HANDLE_LINE));
	for (int i = 0; i < 100; i++)
		assert_ptr_equal(handles_get(h, live[i], i % 2 ? HANDLE_CALL : HANDLE_LINE), &objs[i]);
	handles_destroy(h);
}

static void test_many(void **state)
{
	(void)state;
	struct handles *h;
	assert_int_equal(handles_create(&h), 0);
	static int obj;
	uintptr_t *v = malloc(sizeof(*v) * 5000);
	assert_non_null(v);
	for (int i = 0; i < 5000; i++) {
		v[i] = handles_add(h, HANDLE_CALL, &obj);
		assert_true(v[i] != 0);
		assert_true(v[i] <= UINT32_MAX);
	}
	for (int i = 0; i < 5000; i += 2)
		handles_remove(h, v[i]);
	for (int i = 0; i < 5000; i++)
		assert_true((handles_get(h, v[i], HANDLE_CALL) != NULL) == (i % 2 == 1));
	free(v);
	handles_destroy(h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_stale_after_reuse),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
