/* Unit tests of the pure modules: the inittab parser, the control
 * request decoder, the /run/initctl request decoder and the table's index
 * of pids. Built by `make` as build/unit, run by test_inittab.sh. */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../init/control.h"
#include "../init/initctl.h"
#include "../init/inittab.h"
#include "../init/mountinfo.h"
#include "../init/number.h"
#include "../init/signals.h"
#include "../init/table.h"

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

static void test_split_words(void)
{
	char line[] = " \t/sbin/getty  -L\t115200 ", few[] = "a b c", empty[] = " \t ";
	char *words[4];

	CHECK(split_words(line, words, 4) == 3);
	CHECK(strcmp(words[0], "/sbin/getty") == 0 && strcmp(words[1], "-L") == 0 &&
	      strcmp(words[2], "115200") == 0);
	CHECK(split_words(few, words, 2) == 3);
	CHECK(strcmp(words[0], "a") == 0 && strcmp(words[1], "b") == 0);
	CHECK(split_words(empty, words, 4) == 0);
}

static void test_signal_names(void)
{
	CHECK(signal_number("TERM") == SIGTERM && signal_number("term") == SIGTERM);
	CHECK(signal_number("SigKill") == SIGKILL && signal_number("SIGVTALRM") == SIGVTALRM);
	CHECK(signal_number("15") == SIGTERM);
	CHECK(signal_number("SIGSIGTERM") == 0 && signal_number("TERMINATE") == 0);
	CHECK(signal_number("") == 0 && signal_number("SIG") == 0);
	CHECK(strcmp(signal_name(SIGSTKFLT), "STKFLT") == 0);
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
	CHECK(decode("reexec", &r, &error) == 0 && r.kind == REQUEST_REEXEC && request_changes_state(&r));
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

/* A request as sysvinit's tools write it: four ints, then the data. */
static void make_initctl(unsigned char *bytes, int magic, int command, int runlevel, int sleeptime,
			 const char *data, size_t data_length)
{
	int fields[4] = { magic, command, runlevel, sleeptime };

	memset(bytes, 0, INITCTL_REQUEST_SIZE);
	memcpy(bytes, fields, sizeof(fields));
	memcpy(bytes + INITCTL_DATA_OFFSET, data, data_length);
}

static int initctl(int command, int runlevel, int sleeptime, const char *data, size_t data_length,
		   struct initctl_request *out, const char **error)
{
	unsigned char bytes[INITCTL_REQUEST_SIZE];

	make_initctl(bytes, INITCTL_MAGIC, command, runlevel, sleeptime, data, data_length);
	return initctl_decode(bytes, sizeof(bytes), out, error);
}

static int runlevel(int character, int sleeptime, struct initctl_request *out, const char **error)
{
	return initctl(1, character, sleeptime, "", 0, out, error);
}

static void test_initctl_runlevels(void)
{
	struct initctl_request r;
	const char *error = NULL;

	CHECK(runlevel('3', 0, &r, &error) == 0 && r.kind == INITCTL_LEVEL && r.level == 3 && r.grace_ms == 0);
	CHECK(runlevel('0', 5, &r, &error) == 0 && r.kind == INITCTL_LEVEL && r.level == 0 && r.grace_ms == 5000);
	CHECK(runlevel('S', -1, &r, &error) == 0 && r.level == LEVEL_S && r.grace_ms == 0);
	CHECK(runlevel('s', 3600, &r, &error) == 0 && r.level == LEVEL_S && r.grace_ms == 3600000);
	CHECK(runlevel('Q', 0, &r, &error) == 0 && r.kind == INITCTL_RELOAD);
	CHECK(runlevel('q', 0, &r, &error) == 0 && r.kind == INITCTL_RELOAD);
	CHECK(runlevel('b', 0, &r, &error) == 0 && r.kind == INITCTL_ONDEMAND && r.level == LEVEL_A + 1);
	CHECK(runlevel('C', 0, &r, &error) == 0 && r.kind == INITCTL_ONDEMAND && r.level == LEVEL_A + 2);
	CHECK(runlevel('U', 0, &r, &error) == 0 && r.kind == INITCTL_REEXEC);
	CHECK(runlevel('u', 0, &r, &error) == 0 && r.kind == INITCTL_REEXEC);
	CHECK(runlevel('x', 0, &r, &error) < 0 && strcmp(error, "bad runlevel: want one of 0-9, S, Q, A-C, U") == 0);
	CHECK(runlevel(0, 0, &r, &error) < 0);
	CHECK(runlevel('3' + 256, 0, &r, &error) < 0);
	CHECK(runlevel(-1, 0, &r, &error) < 0);
	CHECK(runlevel('3', 3601, &r, &error) < 0 && strcmp(error, "sleep time over 3600 seconds") == 0);
	CHECK(initctl(2, 0, 0, "", 0, &r, &error) == 0 && r.kind == INITCTL_POWERFAIL);
	CHECK(initctl(3, 0, 0, "", 0, &r, &error) == 0 && r.kind == INITCTL_POWERFAILNOW);
	CHECK(initctl(4, 0, 0, "", 0, &r, &error) == 0 && r.kind == INITCTL_POWEROK);
	CHECK(initctl(5, '3', 0, "", 0, &r, &error) < 0 && strncmp(error, "unsupported command", 19) == 0);
	CHECK(initctl(12345, 0, 0, "", 0, &r, &error) < 0);
}

static void test_initctl_framing(void)
{
	unsigned char bytes[INITCTL_REQUEST_SIZE + 1];
	struct initctl_request r;
	const char *error = NULL;

	make_initctl(bytes, INITCTL_MAGIC, 1, '2', 0, "", 0);
	CHECK(initctl_decode(bytes, INITCTL_REQUEST_SIZE, &r, &error) == 0);
	CHECK(initctl_decode(bytes, INITCTL_REQUEST_SIZE - 1, &r, &error) < 0 &&
	      strcmp(error, "a request is 384 bytes") == 0);
	CHECK(initctl_decode(bytes, INITCTL_REQUEST_SIZE + 1, &r, &error) < 0);
	CHECK(initctl_decode(bytes, 0, &r, &error) < 0);
	make_initctl(bytes, 0x69190903, 1, '2', 0, "", 0); /* the other byte order */
	CHECK(initctl_decode(bytes, INITCTL_REQUEST_SIZE, &r, &error) < 0 && strcmp(error, "bad magic number") == 0);
	/* Unaligned: the decoder may be handed any address. */
	make_initctl(bytes + 1, INITCTL_MAGIC, 1, '5', 0, "", 0);
	CHECK(initctl_decode(bytes + 1, INITCTL_REQUEST_SIZE, &r, &error) == 0 && r.level == 5);
}

static void test_initctl_variables(void)
{
	static const char two[] = "INIT_HALT=POWEROFF\0INIT_OTHER=a b=c\0";
	char full[INITCTL_DATA_SIZE];
	struct initctl_request r;
	const char *error = NULL;

	CHECK(initctl(6, 0, 0, "INIT_HALT=HALT", 14, &r, &error) == 0 && r.kind == INITCTL_SETENV &&
	      r.variable_count == 1 && strcmp(r.variables, "INIT_HALT=HALT") == 0);
	CHECK(initctl(6, 0, 0, two, sizeof(two), &r, &error) == 0 && r.variable_count == 2 &&
	      strcmp(r.variables + strlen(r.variables) + 1, "INIT_OTHER=a b=c") == 0);
	CHECK(initctl(6, 0, 0, "INIT_HALT", 9, &r, &error) == 0 && r.variable_count == 1); /* unset */
	CHECK(initctl(7, 0, 0, "INIT_HALT", 9, &r, &error) == 0 && r.kind == INITCTL_UNSETENV);
	CHECK(initctl(7, 0, 0, "INIT_HALT=X", 11, &r, &error) < 0 &&
	      strcmp(error, "UNSETENV takes names, not NAME=VALUE") == 0);
	CHECK(initctl(6, 0, 0, "PATH=/tmp", 9, &r, &error) < 0 && strcmp(error, "only INIT_* variables can be set") == 0);
	CHECK(initctl(6, 0, 0, "INIT_=x", 7, &r, &error) < 0);
	CHECK(initctl(6, 0, 0, "INIT_A-B=x", 10, &r, &error) < 0);
	CHECK(initctl(6, 0, 0, "INIT_HALT=\033[2J", 14, &r, &error) < 0);
	CHECK(initctl(6, 0, 0, "", 0, &r, &error) < 0 && strcmp(error, "no variable in the request") == 0);
	memcpy(full, "INIT_X=", 7);
	memset(full + 7, 'y', sizeof(full) - 7);
	CHECK(initctl(6, 0, 0, full, sizeof(full), &r, &error) < 0 &&
	      strcmp(error, "a variable is not NUL-terminated within the request") == 0);
	full[sizeof(full) - 1] = '\0';
	CHECK(initctl(6, 0, 0, full, sizeof(full), &r, &error) == 0 && r.variable_count == 1);
}

static void test_initctl_variable_store(void)
{
	char *variables[INITCTL_VARIABLES_MAX] = { NULL };
	char name[32];

	CHECK(initctl_variable(variables, "INIT_HALT") == NULL);
	CHECK(initctl_apply_variable(variables, "INIT_HALT=HALT") == 0);
	CHECK(strcmp(initctl_variable(variables, "INIT_HALT"), "HALT") == 0);
	CHECK(initctl_apply_variable(variables, "INIT_HALT=POWEROFF") == 0);
	CHECK(strcmp(initctl_variable(variables, "INIT_HALT"), "POWEROFF") == 0);
	CHECK(initctl_variable(variables, "INIT_HAL") == NULL);
	CHECK(initctl_apply_variable(variables, "INIT_HALT") == 0);
	CHECK(initctl_variable(variables, "INIT_HALT") == NULL);
	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++) {
		snprintf(name, sizeof(name), "INIT_%u=%u", i, i);
		CHECK(initctl_apply_variable(variables, name) == 0);
	}
	CHECK(initctl_apply_variable(variables, "INIT_MORE=1") < 0); /* full */
	CHECK(initctl_apply_variable(variables, "INIT_3=again") == 0); /* replacing needs no slot */
	CHECK(strcmp(initctl_variable(variables, "INIT_3"), "again") == 0);
	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++)
		free(variables[i]);
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
		struct initctl_request initctl_request;
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
		/* Half the time with the magic number, so that the commands behind it are reached. */
		if (round % 4 < 2)
			memcpy(text, &(int){ INITCTL_MAGIC }, sizeof(int));
		if (round % 4 == 0) /* SETENV or UNSETENV, whose data is parsed */
			memcpy(text + sizeof(int), &(int){ 6 + round / 4 % 2 }, sizeof(int));
		if (length >= INITCTL_REQUEST_SIZE &&
		    initctl_decode(text, INITCTL_REQUEST_SIZE, &initctl_request, &error) == 0)
			sane = sane && initctl_request.variable_count <= INITCTL_DATA_SIZE / 2;
	}
	CHECK(sane); /* no more entries and errors than there are bytes */
}

/* Lines of any length (the kernel writes mount points up to PATH_MAX and
 * more options), the escapes of spaces and the like decoded. */
static void test_mountinfo(void)
{
	static char text[20000];
	char point[6001];
	unsigned count;
	char **points;
	int length;

	memset(point, 'p', sizeof(point) - 1);
	point[0] = '/';
	point[sizeof(point) - 1] = '\0';
	length = snprintf(text, sizeof(text),
			  "21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
			  "22 21 0:5 / %s rw - tmpfs tmpfs rw,size=%05000d\n"
			  "23 21 0:6 / /mnt/with\\040space\\011tab\\134back rw - tmpfs x rw\n"
			  "short line\n"
			  "24 21 0:7 / /mnt/a\\9x\\04 rw - tmpfs x rw",
			  point, 0);
	CHECK(length > 4096 && length < (int)sizeof(text));
	points = mountinfo_points(text, length, &count);
	CHECK(points && count == 4);
	if (points && count == 4) {
		CHECK(strcmp(points[0], "/") == 0);
		CHECK(strcmp(points[1], point) == 0);
		CHECK(strcmp(points[2], "/mnt/with space\ttab\\back") == 0);
		CHECK(strcmp(points[3], "/mnt/a\\9x\\04") == 0); /* not escapes: kept */
	}
	mountinfo_free(points, count);
	points = mountinfo_points("", 0, &count);
	CHECK(points && count == 0);
	mountinfo_free(points, count);
}

static struct table table_of(const char *text)
{
	struct inittab inittab = parse(text);
	struct table table;

	CHECK(table_build(&table, &inittab) == 0);
	inittab_free(&inittab);
	return table;
}

/* Gives entry position a process, as a start does. */
static void set_pid(struct table *table, unsigned position, pid_t pid)
{
	table->entries[position].pid = pid;
	table->entries[position].state = ENTRY_RUNNING;
	table_index_pid(table, position);
}

/* The entry found for pid is the one with that id, or none (id NULL). */
static bool finds(struct table *table, pid_t pid, const char *id)
{
	struct entry *entry = table_find_pid(table, pid);

	return id ? entry && entry->pid == pid && strcmp(entry->id, id) == 0 : !entry;
}

/* table_find_pid follows every change of an entry's pid or position: a
 * start, an exit, a reload that moves and drops entries, a removal. */
static void test_table_find_pid(void)
{
	struct table table = table_of("a:2:respawn:x\nb:2:respawn:x\nc:2:respawn:x\nd:2:respawn:x\n");
	struct table fresh;
	unsigned count;

	CHECK(finds(&table, 100, NULL));
	set_pid(&table, 0, 100);
	set_pid(&table, 1, 101);
	set_pid(&table, 3, 103);
	CHECK(finds(&table, 100, "a") && finds(&table, 101, "b") && finds(&table, 103, "d"));
	CHECK(finds(&table, 102, NULL) && finds(&table, 0, NULL));
	/* b exits and respawns with a new pid; its old pid is nobody's. */
	table.entries[1].pid = 0;
	CHECK(finds(&table, 101, NULL));
	set_pid(&table, 1, 201);
	CHECK(finds(&table, 201, "b") && finds(&table, 101, NULL));

	/* A reload: n first, c and a kept, b and d dropped; b's leader is
	 * gone but its group is being stopped. Kept: n c a b d. */
	table.entries[1].pid = 0;
	table.entries[1].state = ENTRY_STOPPING;
	fresh = table_of("n:2:respawn:x\nc:2:respawn:x\na:2:respawn:x\n");
	CHECK(table_merge(&table, &fresh) == 0);
	CHECK(table.count == 5 && strcmp(table.entries[4].id, "d") == 0 && table.entries[4].removed);
	CHECK(finds(&table, 100, "a") && finds(&table, 103, "d") && finds(&table, 201, NULL));
	/* b's group is gone: d moves into its place. */
	CHECK(strcmp(table.entries[3].id, "b") == 0);
	table_remove(&table, 3);
	CHECK(finds(&table, 103, "d") && finds(&table, 100, "a"));
	/* n starts; its pid is the one b had once. */
	set_pid(&table, 0, 201);
	CHECK(finds(&table, 201, "n") && finds(&table, 103, "d"));
	/* Many respawns of a: the index grows and is rebuilt, d stays found. */
	for (pid_t pid = 1000; pid < 5000; pid++) {
		table.entries[2].pid = 0;
		set_pid(&table, 2, pid);
	}
	CHECK(finds(&table, 4999, "a") && finds(&table, 1000, NULL) && finds(&table, 103, "d"));
	CHECK(finds(&table, 201, "n"));
	count = 0;
	for (pid_t pid = 1; pid < 6000; pid++)
		count += table_find_pid(&table, pid) != NULL;
	CHECK(count == 3);
	table_free(&table);
}

int main(void)
{
	test_mountinfo();
	test_random_input();
	test_seconds();
	test_fields();
	test_levels();
	test_no_trailing_newline_and_crlf();
	test_errors_keep_good_lines();
	test_nul_byte();
	test_split_words();
	test_signal_names();
	test_action_traits();
	test_requests();
	test_initctl_runlevels();
	test_initctl_framing();
	test_initctl_variables();
	test_initctl_variable_store();
	test_table_find_pid();
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
