/* libFuzzer target: the parsers of command-line numbers and names.
 * parse_seconds() (init -t, telinit -t) is checked against a plain
 * reading of its grammar, DIGITS[.DIGITS]; signal names both ways (-p,
 * log lines); and -R COUNT/WINDOW/PAUSE, which is static in main.c: this
 * file includes main.c to reach it (its main renamed). */
#include <assert.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define main hydra_main
#include "../init/main.c"
#undef main

#include "../init/number.h"
#include "../init/signals.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	log_open("/dev/null", false);
	return 0;
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The expected reading: whole seconds and the first three decimals, or
 * false when text is no number or it exceeds max_ms. */
static bool expected_seconds(const char *text, uint64_t max_ms, uint64_t *milliseconds)
{
	unsigned __int128 value = 0;
	const char *cursor = text;
	int decimals = 0;

	if (!is_digit(*cursor))
		return false;
	for (; is_digit(*cursor); cursor++)
		if ((value = value * 10 + (*cursor - '0') * 1000) > max_ms)
			value = (unsigned __int128)max_ms + 1; /* stays too large */
	if (*cursor == '.') {
		if (!is_digit(*++cursor))
			return false;
		for (unsigned scale = 100; is_digit(*cursor); cursor++, decimals++, scale /= 10)
			if (decimals < 3)
				value += (*cursor - '0') * scale;
	}
	if (*cursor || value > max_ms)
		return false;
	*milliseconds = (uint64_t)value;
	return true;
}

static void check_seconds(const char *text, uint64_t max_ms)
{
	uint64_t got = 42, expected;

	if (expected_seconds(text, max_ms, &expected))
		assert(parse_seconds(text, max_ms, &got) == 0 && got == expected);
	else
		assert(parse_seconds(text, max_ms, &got) < 0 && got == 42);
}

static void check_signal(const char *text)
{
	int number = signal_number(text);
	const char *name;

	if (number == 0)
		return;
	assert(number > 0 && number < NSIG);
	name = signal_name(number);
	if (strcmp(name, "?") != 0 && strncmp(name, "RT", 2) != 0)
		assert(signal_number(name) == number);
}

static void check_respawn_limit(const char *text)
{
	struct settings settings = { DEFAULT_SETTINGS };
	const char *problem = parse_respawn_limit(text, &settings);

	if (problem) {
		struct settings defaults = { DEFAULT_SETTINGS };

		/* A refused limit changes nothing. */
		assert(settings.respawn_limit == defaults.respawn_limit &&
		       settings.respawn_window_ms == defaults.respawn_window_ms &&
		       settings.respawn_pause_ms == defaults.respawn_pause_ms);
		return;
	}
	assert(settings.respawn_limit >= 1);
	assert(settings.respawn_window_ms > 0 && settings.respawn_window_ms <= 86400000);
	assert(settings.respawn_pause_ms >= 1000 && settings.respawn_pause_ms <= 86400000);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), status[64];
	int wait_status = 0;

	assert(text);
	memcpy(text, data, size);
	text[size] = '\0';
	check_seconds(text, 3600000);
	check_seconds(text, UINT64_MAX / 2);
	check_seconds(text, 0);
	check_signal(text);
	check_respawn_limit(text);
	check_respawn_limit(strchr(text, '\n') ? strchr(text, '\n') + 1 : "");
	memcpy(&wait_status, data, size < sizeof(wait_status) ? size : sizeof(wait_status));
	assert(describe_status(wait_status, status, sizeof(status)) == status);
	free(text);
	return 0;
}
