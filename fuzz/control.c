/* libFuzzer target: the control protocol. The input goes to
 * request_decode() as one line, and, as the bytes a client sends, through
 * a socket pair into control_serve(), in two pieces (a request may arrive
 * cut). init is still in its sysinit phase there, so that no request
 * starts or stops anything: what runs is the protocol and the answers. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../init/control.h"
#include "../init/inittab.h"
#include "../init/log.h"
#include "../init/supervisor.h"
#include "../init/table.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct supervisor supervisor = {
	.settings = { .inittab = "/nonexistent/inittab", DEFAULT_SETTINGS },
	.phase = PHASE_SYSINIT,
	.level = -1,
	.previous_level = -1,
	.default_level = -1,
	.requested_level = -1,
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char text[] = "id:2:initdefault:\nsi::sysinit:/bin/true\n"
				   "r1:2345:respawn:/sbin/getty ttyS0\nl0:0:wait:/etc/rc 0\n";
	struct inittab inittab;

	(void)argc, (void)argv;
	log_open("/dev/null", false);
	if (inittab_parse(text, sizeof(text) - 1, &inittab) < 0 ||
	    table_build(&supervisor.table, &inittab) < 0)
		abort();
	inittab_free(&inittab);
	return 0;
}

/* What request_decode() promises about a request it accepts. */
static void decode(const uint8_t *data, size_t size)
{
	struct request request;
	const char *error = NULL;

	if (request_decode((const char *)data, size, &request, &error) < 0) {
		assert(error && error[0]);
		return;
	}
	assert(size < CONTROL_REQUEST_MAX);
	assert(request.kind <= REQUEST_REEXEC && request.grace_ms <= 3600000);
	if (request.kind == REQUEST_LEVEL)
		assert(request.level >= 0 && request.level < LEVEL_A);
	if (request.kind == REQUEST_ONDEMAND)
		assert(request.level >= LEVEL_A && request.level < LEVEL_COUNT);
}

/* Writes what the socket takes without waiting; returns how much. */
static size_t send_some(int fd, const uint8_t *data, size_t size)
{
	ssize_t sent = size ? send(fd, data, size, MSG_DONTWAIT | MSG_NOSIGNAL) : 0;

	return sent > 0 ? (size_t)sent : 0;
}

static void serve(const uint8_t *data, size_t size)
{
	char buffer[CONTROL_REQUEST_MAX], answer[4096];
	struct answer pending = { 0 };
	size_t used = 0, first = size / 2, sent;
	const uint8_t *newline;
	ssize_t got;
	int fds[2], result;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0)
		abort();
	sent = send_some(fds[0], data, first);
	result = control_serve(&supervisor, fds[1], buffer, &used, &pending);
	if (result == 0) {
		sent += send_some(fds[0], data + sent, size - sent);
		shutdown(fds[0], SHUT_WR);
		while ((result = control_serve(&supervisor, fds[1], buffer, &used, &pending)) == 0)
			;
	}
	assert(used <= CONTROL_REQUEST_MAX);
	if (result == 1)
		assert(control_send(fds[1], &pending) == 1); /* a short answer fits the socket */
	control_forget(&pending);
	close(fds[1]);
	got = recv(fds[0], answer, sizeof(answer) - 1, MSG_DONTWAIT);
	close(fds[0]);
	newline = memchr(data, '\n', sent);
	if (result < 0) {
		/* The client closed before a whole request: nothing to answer. */
		assert(!newline && sent < CONTROL_REQUEST_MAX && got <= 0);
		return;
	}
	assert(got > 0);
	answer[got] = '\0';
	assert(strncmp(answer, "ok", 2) == 0 || strncmp(answer, "error ", 6) == 0);
	assert(strchr(answer, '\n'));
	if (!newline || newline - data >= CONTROL_REQUEST_MAX)
		assert(strncmp(answer, "error request too long", 22) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode(data, size);
	serve(data, size);
	/* What a request recorded for after the boot must not leak into the next. */
	supervisor.requested_level = -1;
	return 0;
}
