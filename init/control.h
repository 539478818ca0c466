/* The control protocol between init and telinit and friends, over a Unix
 * stream socket. A request is one line of text; the answer is a line that
 * starts with "ok" or "error", then, for status, the listing. See
 * docs/protocol.md. */
#ifndef HYDRA_CONTROL_H
#define HYDRA_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "supervisor.h"

enum { CONTROL_REQUEST_MAX = 256 }; /* bytes, newline included */

enum request_kind {
	REQUEST_LEVEL,    /* level L [grace=MS] */
	REQUEST_HALT,     /* halt|poweroff|reboot [grace=MS] */
	REQUEST_RELOAD,   /* reload */
	REQUEST_ONDEMAND, /* ondemand a|b|c */
	REQUEST_STATUS,   /* status */
	REQUEST_RUNLEVEL, /* runlevel */
	REQUEST_REEXEC,   /* reexec */
};

struct request {
	enum request_kind kind;
	int level;            /* level index */
	enum halt_mode mode;  /* for REQUEST_HALT */
	uint64_t grace_ms;    /* 0: init's default */
};

/* Decodes one request line (without its newline). Returns 0, or -1 with a
 * reason in *error. Pure: no I/O. */
int request_decode(const char *line, size_t length, struct request *request, const char **error);
/* Does the request change state (and so need root)? */
bool request_changes_state(const struct request *request);

/* The init side: a listening socket and its connections. */
int control_listen(const char *path);
/* Accepts a connection on the listening socket; -1 if none. */
int control_accept(int listen_fd);
/* An answer on its way to a client: a status listing can be larger than
 * the socket's buffer, and init never waits for a reader. */
struct answer {
	char *text;      /* what is left to send, in line or allocated */
	size_t length;   /* bytes left */
	char *allocated; /* malloc'd text, or NULL */
	char line[512];
};

/* Reads from a connection; when a whole request is there, performs it,
 * puts the answer in answer and returns 1; 0 to wait for more; -1 on error
 * (close it). */
int control_serve(struct supervisor *supervisor, int fd, char *buffer, size_t *used,
		  struct answer *answer);
/* Sends what the socket takes of the answer without waiting: 1 when all is
 * sent (close the connection), 0 when the socket is full (call again when it
 * is writable), -1 when the reader has gone. */
int control_send(int fd, struct answer *answer);
/* Frees what the answer holds. */
void control_forget(struct answer *answer);

#endif
