/* libFuzzer target: the decoder of sysvinit's /run/initctl requests, and
 * the INIT_* variables a SETENV or UNSETENV sets. The input is decoded as
 * it is (almost always the wrong length: refused) and as a 384-byte
 * request, cut or padded with zeros. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../init/initctl.h"
#include "../init/inittab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Applies each variable of a decoded request and checks that the next
 * look-up sees it. */
static void apply(const struct initctl_request *request)
{
	char *variables[INITCTL_VARIABLES_MAX] = { NULL };
	const char *item = request->variables;

	for (unsigned i = 0; i < request->variable_count; i++) {
		const char *equals = strchr(item, '=');
		size_t name_length = equals ? (size_t)(equals - item) : strlen(item);
		char name[INITCTL_DATA_SIZE];
		const char *value;

		assert(item + strlen(item) < request->variables + INITCTL_DATA_SIZE);
		assert(strncmp(item, "INIT_", 5) == 0 && name_length > 5);
		assert(request->kind == INITCTL_SETENV || !equals);
		memcpy(name, item, name_length);
		name[name_length] = '\0';
		if (initctl_apply_variable(variables, item) == 0) {
			value = initctl_variable(variables, name);
			if (equals)
				assert(value && strcmp(value, equals + 1) == 0);
			else
				assert(!value);
		}
		item += strlen(item) + 1;
	}
	for (unsigned i = 0; i < INITCTL_VARIABLES_MAX; i++)
		free(variables[i]);
}

static void decode(const void *bytes, size_t length)
{
	struct initctl_request request;
	const char *error = NULL;

	if (initctl_decode(bytes, length, &request, &error) < 0) {
		assert(error && error[0]);
		return;
	}
	assert(length == INITCTL_REQUEST_SIZE);
	switch (request.kind) {
	case INITCTL_LEVEL:
		assert(request.level >= 0 && request.level < LEVEL_A && request.grace_ms <= 3600000);
		break;
	case INITCTL_ONDEMAND:
		assert(request.level >= LEVEL_A && request.level < LEVEL_COUNT);
		break;
	case INITCTL_SETENV:
	case INITCTL_UNSETENV:
		assert(request.variable_count > 0);
		apply(&request);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char request[INITCTL_REQUEST_SIZE] = { 0 };

	decode(data, size);
	memcpy(request, data, size < sizeof(request) ? size : sizeof(request));
	decode(request, sizeof(request));
	return 0;
}
