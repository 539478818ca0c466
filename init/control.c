#include "control.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

/* --- decoding (pure) ---------------------------------------------------- */

static const struct {
	const char *verb;
	enum request_kind kind;
	enum halt_mode mode;
	bool takes_level, takes_grace;
} verbs[] = {
	{ "level", REQUEST_LEVEL, HALT_POWEROFF, true, true },
	{ "halt", REQUEST_HALT, HALT_HALT, false, true },
	{ "poweroff", REQUEST_HALT, HALT_POWEROFF, false, true },
	{ "reboot", REQUEST_HALT, HALT_REBOOT, false, true },
	{ "reload", REQUEST_RELOAD, 0, false, false },
	{ "ondemand", REQUEST_ONDEMAND, 0, true, false },
	{ "status", REQUEST_STATUS, 0, false, false },
	{ "runlevel", REQUEST_RUNLEVEL, 0, false, false },
	{ "reexec", REQUEST_REEXEC, 0, false, false },
};

int request_decode(const char *line, size_t length, struct request *request, const char **error)
{
	char copy[CONTROL_REQUEST_MAX], *words[3];
	unsigned count, next = 1;

	if (length >= sizeof(copy)) {
		*error = "request too long";
		return -1;
	}
	for (size_t i = 0; i < length; i++)
		if ((unsigned char)line[i] < ' ' || (unsigned char)line[i] > '~') {
			*error = "request holds a byte that is not printable ASCII";
			return -1;
		}
	memcpy(copy, line, length);
	copy[length] = '\0';
	count = split_words(copy, words, 3); /* no tab: not printable */
	if (count == 0 || count > 3) {
		*error = count ? "too many words in request" : "empty request";
		return -1;
	}
	memset(request, 0, sizeof(*request));
	for (unsigned i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(words[0], verbs[i].verb) != 0)
			continue;
		request->kind = verbs[i].kind;
		request->mode = verbs[i].mode;
		if (verbs[i].takes_level) {
			int level = count > 1 && strlen(words[1]) == 1 ? level_index(words[1][0]) : -1;
			bool ondemand = verbs[i].kind == REQUEST_ONDEMAND;

			if (level < 0 || (level >= LEVEL_A) != ondemand) {
				*error = ondemand ? "ondemand needs a level a, b or c"
						  : "level needs one of 0-9 or S";
				return -1;
			}
			request->level = level;
			next = 2;
			if (level == 6)
				request->mode = HALT_REBOOT;
		}
		if (next < count) {
			char *end;
			unsigned long long grace;

			if (!verbs[i].takes_grace || strncmp(words[next], "grace=", 6) != 0) {
				*error = "unexpected word in request";
				return -1;
			}
			grace = strtoull(words[next] + 6, &end, 10);
			if (end == words[next] + 6 || *end || grace > 3600000) {
				*error = "grace must be a number of milliseconds up to 3600000";
				return -1;
			}
			request->grace_ms = grace;
			next++;
		}
		if (next < count) {
			*error = "too many words in request";
			return -1;
		}
		return 0;
	}
	*error = "unknown request";
	return -1;
}

bool request_changes_state(const struct request *request)
{
	return request->kind != REQUEST_STATUS && request->kind != REQUEST_RUNLEVEL;
}

/* --- serving ------------------------------------------------------------ */

int control_listen(const char *path)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	struct stat existing;
	int fd;

	if (strlen(path) >= sizeof(address.sun_path)) {
		error("control socket path too long: %s", path);
		return -1;
	}
	memcpy(address.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		error("cannot create the control socket: %m");
		return -1;
	}
	/* A stale socket is replaced; anything else there is not ours to delete. */
	if (lstat(path, &existing) == 0 && !S_ISSOCK(existing.st_mode)) {
		error("cannot listen on %s: it exists and is not a socket; not removing it", path);
		close(fd);
		return -1;
	}
	unlink(path);
	/* Anyone may connect and ask for the status; init itself checks who may
	 * change state, so a refusal comes with its reason. The mode is set by
	 * bind itself: a chmod by name afterwards would follow a symlink put
	 * in the socket's place meanwhile. */
	mode_t saved_umask = umask(0111);
	int bound = bind(fd, (struct sockaddr *)&address, sizeof(address));
	umask(saved_umask);
	if (bound < 0 || listen(fd, 16) < 0) {
		error("cannot listen on %s: %m", path);
		close(fd);
		return -1;
	}
	return fd;
}

int control_accept(int listen_fd)
{
	return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

/* Sets the answer to one line "STATUS MESSAGE\n". */
static void answer_line(struct answer *answer, const char *status, const char *message)
{
	int length = snprintf(answer->line, sizeof(answer->line), "%s %s\n", status, message);

	answer->text = answer->line;
	answer->length = length < (int)sizeof(answer->line) ? (size_t)length : sizeof(answer->line) - 1;
}

int control_send(int fd, struct answer *answer)
{
	/* Never wait for a slow reader: the loop calls again when the socket
	 * has room. */
	while (answer->length > 0) {
		ssize_t sent = send(fd, answer->text, answer->length, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (sent < 0 && errno == EINTR)
			continue;
		if (sent < 0 && errno == EAGAIN)
			return 0;
		if (sent <= 0) {
			debug("control: reply cut short: %s", sent < 0 ? strerror(errno) : "closed");
			return -1;
		}
		answer->text += sent;
		answer->length -= sent;
	}
	return 1;
}

void control_forget(struct answer *answer)
{
	free(answer->allocated);
	answer->allocated = answer->text = NULL;
	answer->length = 0;
}

static void perform(struct supervisor *supervisor, const struct request *request, struct answer *answer)
{
	char reply[256] = "";
	int result = 0;

	switch (request->kind) {
	case REQUEST_LEVEL:
	case REQUEST_HALT:
		/* "level 0" halts or powers off as INIT_HALT says (Debian's
		 * shutdown sets it, then runs init 0); "halt" says it itself. */
		result = supervisor_change_level(supervisor, request->kind == REQUEST_HALT
							     ? (request->mode == HALT_REBOOT ? 6 : 0)
							     : request->level,
						 request->kind == REQUEST_HALT
							 ? request->mode
							 : supervisor_halt_mode(supervisor, request->level),
						 request->grace_ms, reply, sizeof(reply));
		break;
	case REQUEST_RELOAD:
		result = supervisor_reload(supervisor, reply, sizeof(reply));
		break;
	case REQUEST_ONDEMAND:
		result = supervisor_demand(supervisor, request->level, reply, sizeof(reply));
		break;
	case REQUEST_RUNLEVEL:
		supervisor_runlevel(supervisor, reply, sizeof(reply));
		break;
	case REQUEST_REEXEC:
		result = supervisor_request_reexec(supervisor, reply, sizeof(reply));
		break;
	case REQUEST_STATUS: {
		char *listing = supervisor_status(supervisor);
		size_t length = listing ? strlen(listing) : 0;
		/* "ok\n" goes before the listing, in the same buffer. */
		char *text = listing ? realloc(listing, length + 3) : NULL;

		if (!text) {
			free(listing);
			answer_line(answer, "error", "out of memory");
			return;
		}
		memmove(text + 3, text, length);
		memcpy(text, "ok\n", 3);
		answer->allocated = answer->text = text;
		answer->length = length + 3;
		return;
	}
	}
	answer_line(answer, result < 0 ? "error" : "ok", reply);
}

/* Any local user may connect: a flood of refusals must not flood the
 * console. */
static struct log_ratelimit refusals = { .what = "control: refused requests" };

int control_serve(struct supervisor *supervisor, int fd, char *buffer, size_t *used,
		  struct answer *answer)
{
	struct ucred peer;
	socklen_t peer_size = sizeof(peer);
	struct request request;
	const char *problem;
	char *newline;
	ssize_t got;

	got = recv(fd, buffer + *used, CONTROL_REQUEST_MAX - *used, MSG_DONTWAIT);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (got == 0)
		return -1;
	*used += got;
	newline = memchr(buffer, '\n', *used);
	if (!newline) {
		if (*used < CONTROL_REQUEST_MAX)
			return 0;
		answer_line(answer, "error", "request too long");
		if (log_ratelimit(&refusals))
			warning("control: refused a request longer than %d bytes", CONTROL_REQUEST_MAX);
		return 1;
	}
	if (request_decode(buffer, newline - buffer, &request, &problem) < 0) {
		answer_line(answer, "error", problem);
		if (log_ratelimit(&refusals))
			warning("control: refused a request: %s", problem);
		return 1;
	}
	if (request_changes_state(&request)) {
		if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size) < 0) {
			answer_line(answer, "error", "cannot tell who is asking");
			return 1;
		}
		if (peer.uid != 0) {
			answer_line(answer, "error", "permission denied: only root may change init's state");
			if (log_ratelimit(&refusals))
				warning("control: refused a request from uid %d (pid %d): not root",
					(int)peer.uid, (int)peer.pid);
			return 1;
		}
	}
	perform(supervisor, &request, answer);
	return 1;
}
