#include "loop.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "initctl.h"
#include "log.h"
#include "reexec.h"
#include "supervisor.h"

enum { MAX_CLIENTS = 8 };
enum { DRAIN_MAX = 65536 }; /* bytes read and dropped after an answer, at most */
enum { TAG_SIGNAL = 1, TAG_TIMER, TAG_LISTEN, TAG_INITCTL, TAG_MOUNTS, TAG_CLIENT };

struct client {
	int fd;
	uid_t uid;
	unsigned long accepted; /* order of arrival: the oldest is dropped first */
	size_t used;
	char buffer[CONTROL_REQUEST_MAX];
	struct answer answer;   /* being sent: answer.text is set */
	bool writing;           /* watched for room to write, not for input */
	bool draining;          /* answered: reading what else it sends, dropping it */
	size_t drained;
};

struct loop {
	int epoll_fd, signal_fd, timer_fd, listen_fd;
	const char *control;
	struct stat control_status; /* what the socket's path was when it was made */
	const char *initctl;         /* sysvinit's FIFO, NULL for none */
	int initctl_fd;
	bool initctl_reported;       /* its last failure was logged: log the next success */
	struct initctl_buffer initctl_buffer;
	int mounts_fd;               /* /proc/self/mountinfo: says when mounts change */
	uint64_t armed;  /* the deadline the timer holds, 0 if disarmed */
	uint64_t listen_paused_until; /* accept failed (out of descriptors): try again then */
	unsigned long accepted;
	struct client clients[MAX_CLIENTS];
};

/* Set-up that must not fail for PID 1: on error, log and try again. */
static int keep_trying(int result, const char *what)
{
	if (result < 0) {
		error("cannot %s: %m; trying again in 1 s", what);
		/* poll without descriptors: a timed wait; sleep would pull in
		 * musl's nanosleep and clock_nanosleep too (200 bytes). */
		poll(NULL, 0, 1000);
	}
	return result;
}

static void watch(struct loop *loop, int fd, uint64_t tag)
{
	struct epoll_event event = { .events = EPOLLIN, .data.u64 = tag };

	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0)
		error("cannot watch descriptor %d: %m", fd);
}

static void open_control(struct loop *loop)
{
	if (loop->listen_fd >= 0) {
		close(loop->listen_fd); /* also leaves the epoll set */
		loop->listen_fd = -1;
	}
	loop->listen_paused_until = 0;
	loop->listen_fd = control_listen(loop->control);
	if (loop->listen_fd >= 0) {
		watch(loop, loop->listen_fd, TAG_LISTEN);
		if (stat(loop->control, &loop->control_status) < 0)
			memset(&loop->control_status, 0, sizeof(loop->control_status));
	} else {
		error("no control socket: send SIGUSR1 to try again");
	}
}

/* Is the control socket still reachable at its path? */
static bool control_still_there(const struct loop *loop)
{
	struct stat now;

	return stat(loop->control, &now) == 0 && now.st_dev == loop->control_status.st_dev &&
	       now.st_ino == loop->control_status.st_ino;
}

/* (Re)creates sysvinit's FIFO. Early in boot /run may be read-only or
 * about to be mounted over: the first failure is logged, and the FIFO is
 * tried again, quietly, whenever the loop wakes up, until it works. */
static void open_initctl(struct loop *loop)
{
	if (loop->initctl_fd >= 0)
		close(loop->initctl_fd);
	loop->initctl_buffer.used = 0;
	loop->initctl_fd = initctl_open(loop->initctl, !loop->initctl_reported);
	if (loop->initctl_fd >= 0) {
		watch(loop, loop->initctl_fd, TAG_INITCTL);
		if (loop->initctl_reported)
			notice("%s is there now", loop->initctl);
		loop->initctl_reported = false;
	} else if (!loop->initctl_reported) {
		notice("trying %s again whenever init wakes up", loop->initctl);
		loop->initctl_reported = true;
	}
}

/* A change of the mount table (a tmpfs mounted on /run) wakes the loop
 * through /proc/self/mountinfo; without /proc yet, this is tried again
 * with the FIFO. */
static void watch_mounts(struct loop *loop)
{
	/* EPOLLPRI alone: the file is always readable, and only a change of
	 * the mount table raises PRI, once. */
	struct epoll_event event = { .events = EPOLLPRI, .data.u64 = TAG_MOUNTS };
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_ADD, fd, &event) < 0) {
		close(fd);
		return;
	}
	loop->mounts_fd = fd;
}

/* Mounts changed: make whatever a new mount hid anew. */
static void check_paths(struct loop *loop)
{
	if (loop->initctl_fd >= 0 && !initctl_still_there(loop->initctl_fd, loop->initctl)) {
		notice("%s is gone (mounted over?): making it anew", loop->initctl);
		open_initctl(loop);
	}
	if (loop->control && loop->listen_fd >= 0 && !control_still_there(loop)) {
		notice("%s is gone (mounted over?): making it anew", loop->control);
		open_control(loop);
	}
}

static void close_client(struct client *client)
{
	close(client->fd);
	client->fd = -1;
	client->used = 0;
	client->writing = false;
	client->draining = false;
	client->drained = 0;
	control_forget(&client->answer);
}

/* Reads and drops what the client sends after its request, as far as it
 * goes without waiting. 0: keep the connection; -1: close it (the client
 * has closed it, or sent more than DRAIN_MAX bytes). */
static int drain_client(struct client *client)
{
	for (;;) {
		ssize_t got = recv(client->fd, client->buffer, sizeof(client->buffer), MSG_DONTWAIT);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return 0;
		if (got <= 0)
			return -1;
		client->drained += got;
		if (client->drained > DRAIN_MAX)
			return -1;
	}
}

/* Watches the client for events (EPOLLIN or EPOLLOUT) instead of what it
 * was watched for; -1 if that fails (logged). */
static int rewatch_client(struct loop *loop, struct client *client, uint32_t events)
{
	struct epoll_event event = { .events = events, .data.u64 = TAG_CLIENT + (client - loop->clients) };

	if (epoll_ctl(loop->epoll_fd, EPOLL_CTL_MOD, client->fd, &event) < 0) {
		error("cannot watch a control connection: %m");
		return -1;
	}
	return 0;
}

/* The answer is all sent. A client still sending (the rest of an over-long
 * request) would fail on a closed connection before it read the answer:
 * say end-of-answer with a shutdown and drop its input until it closes,
 * bounded by DRAIN_MAX; a client that neither sends nor closes only holds
 * its slot, as one that never spoke does. */
static int start_draining(struct loop *loop, struct client *client)
{
	if (shutdown(client->fd, SHUT_WR) < 0)
		return -1;
	if (client->writing && rewatch_client(loop, client, EPOLLIN) < 0)
		return -1;
	client->writing = false;
	client->draining = true;
	control_forget(&client->answer);
	return drain_client(client);
}

/* Reads the client's request and sends the answer, as far as the socket
 * takes it without waiting; the rest goes when the socket has room (a
 * status listing can be far larger than the socket's buffer). */
static void serve_client(struct loop *loop, struct supervisor *supervisor, struct client *client)
{
	int result = 1;

	if (client->draining) {
		if (drain_client(client) < 0)
			close_client(client);
		return;
	}
	if (!client->answer.text)
		result = control_serve(supervisor, client->fd, client->buffer, &client->used,
				       &client->answer);
	if (result > 0)
		result = control_send(client->fd, &client->answer);
	if (result > 0)
		result = start_draining(loop, client);
	if (result == 0 && client->answer.text && !client->writing) {
		result = rewatch_client(loop, client, EPOLLOUT);
		client->writing = true;
	}
	if (result != 0)
		close_client(client);
}

/* The slot for a new connection from uid: a free one, else the oldest
 * connection of someone other than root (so that no user can crowd out
 * root's telinit), else, for root, root's oldest. NULL: refuse it. */
static struct client *choose_slot(struct loop *loop, uid_t uid)
{
	struct client *oldest_user = NULL, *oldest_root = NULL;

	for (unsigned i = 0; i < MAX_CLIENTS; i++) {
		struct client *client = &loop->clients[i];
		struct client **oldest = client->uid == 0 ? &oldest_root : &oldest_user;

		if (client->fd < 0)
			return client;
		if (!*oldest || client->accepted < (*oldest)->accepted)
			*oldest = client;
	}
	return oldest_user ? oldest_user : uid == 0 ? oldest_root : NULL;
}

static void accept_clients(struct loop *loop)
{
	for (;;) {
		struct ucred peer = { .uid = (uid_t)-1 };
		socklen_t peer_size = sizeof(peer);
		struct client *client;
		int fd = control_accept(loop->listen_fd);

		if (fd < 0 && (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED))
			return;
		if (fd < 0) {
			/* The connection stays queued, so the socket stays readable:
			 * stop watching it for a second instead of spinning. */
			error("control: cannot accept a connection: %m; pausing for 1 s");
			epoll_ctl(loop->epoll_fd, EPOLL_CTL_DEL, loop->listen_fd, NULL);
			loop->listen_paused_until = now_ms() + 1000;
			return;
		}
		getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &peer_size);
		/* A fixed number of slots: clients that never speak lose their
		 * slot to the next ones, they cannot fill init's memory. */
		client = choose_slot(loop, peer.uid);
		if (!client) {
			debug("control: all connections busy with root's; refusing uid %d", (int)peer.uid);
			close(fd);
			continue;
		}
		if (client->fd >= 0) {
			debug("control: too many open connections; dropping the oldest");
			close_client(client);
		}
		client->fd = fd;
		client->uid = peer.uid;
		client->accepted = ++loop->accepted;
		client->used = 0;
		watch(loop, fd, TAG_CLIENT + (client - loop->clients));
	}
}

static void arm_timer(struct loop *loop, uint64_t deadline)
{
	struct itimerspec when = {
		.it_value = { .tv_sec = deadline / 1000, .tv_nsec = (deadline % 1000) * 1000000 },
	};

	if (deadline == loop->armed)
		return;
	if (timerfd_settime(loop->timer_fd, TFD_TIMER_ABSTIME, &when, NULL) < 0)
		error("cannot arm the timer: %m");
	else
		loop->armed = deadline;
}

static int drain_signals(struct loop *loop, struct supervisor *supervisor, signal_handler handler)
{
	struct signalfd_siginfo info;
	int wishes = 0;
	bool child = false;

	while (read(loop->signal_fd, &info, sizeof(info)) == sizeof(info)) {
		if (info.ssi_signo == SIGCHLD)
			child = true;
		else
			wishes |= handler(supervisor, &info);
	}
	if (child)
		supervisor_reap(supervisor);
	return wishes;
}

/* A descriptor the previous image left open across the exec: children
 * must not inherit it. */
static void keep_from_children(int fd, const char *path)
{
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		warning("%s: cannot set close-on-exec, children will inherit it: %m", path);
}

void loop_run(struct supervisor *supervisor, const sigset_t *handled, signal_handler handler,
	      const char *control)
{
	struct loop loop = {
		.listen_fd = -1, .control = control, .initctl = supervisor->settings.initctl,
		.initctl_fd = -1, .mounts_fd = -1,
	};
	struct epoll_event events[MAX_CLIENTS + 5];

	for (unsigned i = 0; i < MAX_CLIENTS; i++)
		loop.clients[i].fd = -1;
	while (keep_trying(sigprocmask(SIG_BLOCK, handled, NULL), "block signals") < 0)
		;
	while ((loop.signal_fd = keep_trying(signalfd(-1, handled, SFD_NONBLOCK | SFD_CLOEXEC),
					     "create a signalfd")) < 0)
		;
	while ((loop.timer_fd = keep_trying(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC),
					    "create a timerfd")) < 0)
		;
	while ((loop.epoll_fd = keep_trying(epoll_create1(EPOLL_CLOEXEC), "create an epoll set")) < 0)
		;
	watch(&loop, loop.signal_fd, TAG_SIGNAL);
	watch(&loop, loop.timer_fd, TAG_TIMER);
	if (control && supervisor->restored && supervisor->restored_listen_fd >= 0) {
		/* The previous image's socket: connections queued during the
		 * exec are still there. */
		loop.listen_fd = supervisor->restored_listen_fd;
		keep_from_children(loop.listen_fd, control);
		watch(&loop, loop.listen_fd, TAG_LISTEN);
	} else if (control) {
		open_control(&loop);
	}
	if (loop.initctl && supervisor->restored && supervisor->restored_initctl_fd >= 0) {
		/* The previous image's FIFO, with what was written to it meanwhile. */
		loop.initctl_fd = supervisor->restored_initctl_fd;
		keep_from_children(loop.initctl_fd, loop.initctl);
		watch(&loop, loop.initctl_fd, TAG_INITCTL);
		watch_mounts(&loop);
	} else if (loop.initctl) {
		open_initctl(&loop);
		watch_mounts(&loop);
	}

	/* From here on, init must not die: every error is logged and lived with. */
	/* Signals were blocked before the signalfd was made: a SIGCHLD from
	 * any child, even one that died before, waits in it. */
	supervisor_start(supervisor);
	for (;;) {
		int wishes = 0, count;

		supervisor_advance(supervisor);
		if (supervisor->reexec_wanted) {
			/* Asked for by telinit u (answered by now: the asker's
			 * connection is closed), or by a level 0 or 6 beginning. */
			supervisor->reexec_wanted = false;
			reexec(supervisor, loop.listen_fd, loop.initctl_fd);
			supervisor_advance(supervisor); /* the exec failed: go on here */
		}
		if (loop.initctl && loop.initctl_fd < 0)
			open_initctl(&loop);
		if (loop.initctl && loop.mounts_fd < 0)
			watch_mounts(&loop);
		uint64_t deadline = supervisor_next_deadline(supervisor);
		if (loop.listen_paused_until && (!deadline || loop.listen_paused_until < deadline))
			deadline = loop.listen_paused_until;
		arm_timer(&loop, deadline);
		/* A stop signal (a debugger attaching) makes epoll_wait fail with
		 * EINTR; that is no event, so wait again at once. */
		while ((count = epoll_wait(loop.epoll_fd, events, sizeof(events) / sizeof(events[0]), -1)) < 0)
			if (errno != EINTR)
				keep_trying(-1, "wait for events");
		for (int i = 0; i < count; i++) {
			uint64_t tag = events[i].data.u64, expirations;

			if (tag == TAG_SIGNAL) {
				wishes |= drain_signals(&loop, supervisor, handler);
			} else if (tag == TAG_TIMER) {
				if (read(loop.timer_fd, &expirations, sizeof(expirations)) < 0 && errno != EAGAIN)
					error("cannot read the timer: %m");
				loop.armed = 0;
				supervisor_expire(supervisor);
				if (loop.listen_paused_until && loop.listen_paused_until <= now_ms()) {
					loop.listen_paused_until = 0;
					watch(&loop, loop.listen_fd, TAG_LISTEN);
				}
			} else if (tag == TAG_LISTEN) {
				accept_clients(&loop);
			} else if (tag == TAG_INITCTL) {
				initctl_serve(supervisor, loop.initctl_fd, &loop.initctl_buffer);
			} else if (tag == TAG_MOUNTS) {
				check_paths(&loop);
			} else if (tag >= TAG_CLIENT && tag < TAG_CLIENT + MAX_CLIENTS) {
				struct client *client = &loop.clients[tag - TAG_CLIENT];

				if (client->fd >= 0)
					serve_client(&loop, supervisor, client);
			}
		}
		if ((wishes & WISH_REOPEN_CONTROL) && control) {
			notice("reopening the control socket %s", control);
			open_control(&loop);
		}
		if ((wishes & WISH_REOPEN_CONTROL) && loop.initctl) {
			notice("reopening %s", loop.initctl);
			open_initctl(&loop);
		}
	}
}
