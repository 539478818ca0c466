/* Unit tests of the pure modules: the inittab parser and the control
 * request decoder. Built by `make` as build/unit, run by test_inittab.sh. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../init/control.h"
#include "../init/inittab.h"
#include "../init/number.h"

static unsigned passed, failed;

#define CHECK(condition)                                                              \
	do {                                                                          \
		if (condition) {                                                      \
			passed++;                                                     \
		} else {                                                              \
			failed++;                                                     \
			fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
		}                                                                     \
	} while (0)

static struct inittab parse(const char *text)
{
	struct inittab inittab;

	CHECK(inittab_parse(text, strlen(text), &inittab) == 0);
	return inittab;
}

static void test_fields(void)
{
	struct inittab t = parse("r1:2345:Respawn:/sbin/getty -L 115200 ttyS0 vt100 # not a comment\n");

	CHECK(t.count == 1 && t.error_count == 0);
	CHECK(strcmp(t.entries[0].id, "r1") == 0);
	CHECK(t.entries[0].action == ACTION_RESPAWN);
	CHECK(t.entries[0].levels == (LEVEL_BIT(2) | LEVEL_BIT(3) | LEVEL_BIT(4) | LEVEL_BIT(5)));
	CHECK(strcmp(t.entries[0].process, "/sbin/getty -L 115200 ttyS0 vt100 # not a comment") == 0);
	CHECK(t.entries[0].line == 1);
	inittab_free(&t);
}

static void test_levels(void)
{
	struct inittab t = parse("a::once:x\nb:sS:once:x\nc:abc:ondemand:x\nd:S:initdefault:\n");

	CHECK(t.count == 4 && t.error_count == 0);
	CHECK(t.entries[0].levels == ALL_LEVELS);
	CHECK(t.entries[1].levels == LEVEL_BIT(LEVEL_S));
	CHECK(t.entries[2].levels == ONDEMAND_LEVELS);
	CHECK(t.default_level == LEVEL_S);
	inittab_free(&t);
}

static void test_no_trailing_newline_and_crlf(void)
{
	struct inittab t = parse("a:2:once:/bin/true\r\nb:2:once:/bin/false");

	CHECK(t.count == 2 && t.error_count == 0);
	CHECK(strcmp(t.entries[0].process, "/bin/true") == 0);
	CHECK(strcmp(t.entries[1].process, "/bin/false") == 0);
	inittab_free(&t);
}

static void test_errors_keep_good_lines(void)
{
	struct inittab t = parse("bad\nok:2:once:x\nok:3:once:y\nz:2:nope:x\n");

	CHECK(t.count == 1 && t.error_count == 3);
	CHECK(t.errors[0].line == 1 && t.errors[1].line == 3 && t.errors[2].line == 4);
	CHECK(strcmp(t.errors[2].message, "unknown action 'nope'") == 0);
	inittab_free(&t);
}

static void test_nul_byte(void)
{
	const char text[] = "a:2:once:x\0y\nb:2:once:z\n";
	struct inittab t;

	CHECK(inittab_parse(text, sizeof(text) - 1, &t) == 0);
	CHECK(t.count == 1 && t.error_count == 1 && t.errors[0].line == 1);
	inittab_free(&t);
}

static void test_action_traits(void)
{
	CHECK(action_traits(ACTION_WAIT) & TRAIT_BARRIER);
	CHECK(!(action_traits(ACTION_ONCE) & TRAIT_BARRIER));
	CHECK(action_traits(ACTION_ONDEMAND) & TRAIT_RESPAWN);
	CHECK(action_traits(ACTION_POWERWAIT) & TRAIT_BARRIER);
	CHECK(!(action_traits(ACTION_BOOT) & TRAIT_LEVEL_BOUND));
}

static int decode(const char *line, struct request *request, const char **error)
{
	return request_decode(line, strlen(line), request, error);
}

static void test_requests(void)
{
	struct request r;
	const char *error = NULL;

	CHECK(decode("level 3", &r, &error) == 0 && r.kind == REQUEST_LEVEL && r.level == 3);
	CHECK(decode("level S grace=1500", &r, &error) == 0 && r.level == LEVEL_S && r.grace_ms == 1500);
	CHECK(decode("level 6", &r, &error) == 0 && r.mode == HALT_REBOOT);
	CHECK(decode("halt", &r, &error) == 0 && r.kind == REQUEST_HALT && r.mode == HALT_HALT);
	CHECK(decode("poweroff grace=0", &r, &error) == 0 && r.mode == HALT_POWEROFF);
	CHECK(decode("ondemand b", &r, &error) == 0 && r.level == LEVEL_A + 1);
	CHECK(decode("status", &r, &error) == 0 && !request_changes_state(&r));
	CHECK(decode("runlevel", &r, &error) == 0 && !request_changes_state(&r));
	CHECK(decode("reload", &r, &error) == 0 && request_changes_state(&r));

	CHECK(decode("", &r, &error) < 0 && strcmp(error, "empty request") == 0);
	CHECK(decode("level", &r, &error) < 0 && strcmp(error, "level needs one of 0-9 or S") == 0);
	CHECK(decode("level a", &r, &error) < 0);
	CHECK(decode("level 22", &r, &error) < 0);
	CHECK(decode("ondemand 2", &r, &error) < 0 && strcmp(error, "ondemand needs a level a, b or c") == 0);
	CHECK(decode("level 3 grace=x", &r, &error) < 0);
	CHECK(decode("level 3 grace=99999999999", &r, &error) < 0);
	CHECK(decode("level 3 grace=1 extra", &r, &error) < 0);
	CHECK(decode("status grace=1", &r, &error) < 0);
	CHECK(decode("format c:", &r, &error) < 0 && strcmp(error, "unknown request") == 0);
	CHECK(decode("level \x01", &r, &error) < 0);
	char huge[1000];
	memset(huge, 'a', sizeof(huge));
	CHECK(request_decode(huge, sizeof(huge), &r, &error) < 0 && strcmp(error, "request too long") == 0);
}

static void test_seconds(void)
{
	uint64_t ms = 42;

	CHECK(parse_seconds("3", 3600000, &ms) == 0 && ms == 3000);
	CHECK(parse_seconds("0.5", 3600000, &ms) == 0 && ms == 500);
	CHECK(parse_seconds("2.25", 3600000, &ms) == 0 && ms == 2250);
	CHECK(parse_seconds("0.0001", 3600000, &ms) == 0 && ms == 0);
	CHECK(parse_seconds("3600", 3600000, &ms) == 0 && ms == 3600000);
	ms = 42;
	CHECK(parse_seconds("3601", 3600000, &ms) < 0 && ms == 42);
	CHECK(parse_seconds("99999999999999999999999", 3600000, &ms) < 0);
	CHECK(parse_seconds("", 3600000, &ms) < 0);
	CHECK(parse_seconds("-1", 3600000, &ms) < 0);
	CHECK(parse_seconds("1.", 3600000, &ms) < 0);
	CHECK(parse_seconds(".5", 3600000, &ms) < 0);
	CHECK(parse_seconds("1s", 3600000, &ms) < 0 && ms == 42);
}

/* Random bytes into both parsers: nothing may crash or leak (run it under
 * make sanitize to see the second). A fixed seed keeps it repeatable. */
static void test_random_input(void)
{
	static const char alphabet[] = "::::\n\n#abcS0123456789 -$;'\"respawnwaitonceinitdefault\t\r";
	unsigned seed = 12345;
	bool sane = true;
	char text[512];

	for (int round = 0; round < 20000; round++) {
		size_t length = (seed = seed * 1103515245 + 12345) % sizeof(text);
		struct inittab inittab;
		struct request request;
		const char *error;

		for (size_t i = 0; i < length; i++) {
			seed = seed * 1103515245 + 12345;
			text[i] = round % 2 ? (char)(seed >> 16) : alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
		}
		if (inittab_parse(text, length, &inittab) == 0) {
			sane = sane && inittab.count + inittab.error_count <= length;
			inittab_free(&inittab);
		}
		request_decode(text, length % CONTROL_REQUEST_MAX, &request, &error);
	}
	CHECK(sane); /* no more entries and errors than there are bytes */
}

int main(void)
{
	test_random_input();
	test_seconds();
	test_fields();
	test_levels();
	test_no_trailing_newline_and_crlf();
	test_errors_keep_good_lines();
	test_nul_byte();
	test_action_traits();
	test_requests();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
