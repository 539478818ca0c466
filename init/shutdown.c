#include "shutdown.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "container.h"
#include "file.h"
#include "log.h"
#include "mountinfo.h"
#include "reexec.h"
#include "signals.h"
#include "supervisor.h"
#include "utmp.h"

/* How often to look for processes that are not our children while the
 * final stage waits for them (see processes_left). */
enum { FINAL_POLL_MS = 100 };

bool detect_real_init(void)
{
	/* In a child PID namespace the kernel refuses this with EINVAL, and
	 * without CAP_SYS_BOOT (a container) with EPERM. */
	return getpid() == 1 && reboot(RB_DISABLE_CAD) == 0;
}

pid_t stat_parent(const char *text)
{
	/* The name may hold anything, even ") ": the fields follow the last ')'. */
	const char *close_paren = strrchr(text, ')');

	if (!close_paren || strlen(close_paren) < 5)
		return -1;
	return (int)strtol(close_paren + 4, NULL, 10);
}

/* Reads the parent pid from /proc/PID/stat. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buffer[512];
	ssize_t length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	length = read(fd, buffer, sizeof(buffer) - 1);
	close(fd);
	if (length <= 0)
		return -1;
	buffer[length] = '\0';
	return stat_parent(buffer);
}

/* Signals pid if it is still one of family: a pid found in /proc may have
 * died and been reused by another process since. Through a pidfd, the
 * process checked is the process signalled. */
static bool signal_descendant(const pid_t *family, unsigned count, pid_t pid, int signal_number)
{
	int fd = syscall(SYS_pidfd_open, pid, 0);
	pid_t parent;
	bool ours = false;

	if (fd < 0)
		return false; /* gone, or a kernel without pidfds: then it is not ours either */
	parent = parent_of(pid);
	for (unsigned i = 0; i < count && !ours; i++)
		ours = family[i] == parent;
	if (ours && syscall(SYS_pidfd_send_signal, fd, signal_number, NULL, 0) < 0)
		ours = false;
	close(fd);
	return ours;
}

/* Without kill(-1) (init is not PID 1), find the descendants in /proc:
 * repeat passes until no new one shows up, since a child may be listed
 * before its parent. */
static unsigned signal_descendants(int signal_number)
{
	enum { MAX_TRACKED = 4096 };
	static pid_t family[MAX_TRACKED];
	unsigned count = 1, signalled = 0;
	bool grew = true;

	family[0] = getpid();
	while (grew && count < MAX_TRACKED) {
		DIR *proc = opendir("/proc");
		struct dirent *item;

		grew = false;
		if (!proc) {
			warning("cannot read /proc to find descendants: %m");
			return signalled;
		}
		while ((item = readdir(proc)) && count < MAX_TRACKED) {
			pid_t pid = (int)strtol(item->d_name, NULL, 10), parent;
			bool known = false;

			if (pid <= 0)
				continue;
			for (unsigned i = 0; i < count && !known; i++)
				known = family[i] == pid;
			if (known || (parent = parent_of(pid)) <= 0)
				continue;
			for (unsigned i = 0; i < count; i++)
				if (family[i] == parent) {
					family[count++] = pid;
					grew = true;
					break;
				}
		}
		closedir(proc);
	}
	for (unsigned i = 1; i < count; i++)
		if (signal_descendant(family, count, family[i], signal_number))
			signalled++;
	return signalled;
}

unsigned signal_everyone(int signal_number)
{
	/* kill(-1) from anything but PID 1 of a namespace reaches every
	 * process of the machine: only PID 1 may use it. */
	if (getpid() == 1)
		return kill(-1, signal_number) == 0 ? 1 : 0;
	return signal_descendants(signal_number);
}

void reboot_now(int how)
{
	sync();
	if (reboot(how) < 0)
		error("reboot(2) failed: %m");
}

/* Reads all of /proc/self/mountinfo (its size is not known in advance:
 * /proc reports 0) into a malloc'd buffer. NULL with errno on failure. */
static char *read_mountinfo(size_t *length)
{
	int fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC), saved;
	char *text;

	if (fd < 0)
		return NULL;
	text = read_whole_fd(fd, length);
	saved = errno;
	close(fd);
	errno = saved;
	return text;
}

/* Unmounts every filesystem, innermost (last mounted) first; what cannot
 * be unmounted (busy, or the root) is remounted read-only instead. */
static void unmount_all(void)
{
	size_t length;
	char *text = read_mountinfo(&length), **points;
	unsigned count;

	if (!text) {
		error("cannot read /proc/self/mountinfo: %m; filesystems stay mounted");
		return;
	}
	points = mountinfo_points(text, length, &count);
	free(text);
	if (!points) {
		error("cannot read /proc/self/mountinfo: out of memory; filesystems stay mounted");
		return;
	}
	for (unsigned i = count; i-- > 0;) {
		const char *point = points[i];

		if (strcmp(point, "/") != 0 && umount2(point, 0) == 0) {
			info("unmounted %s", point);
		} else if (mount(NULL, point, NULL, MS_REMOUNT | MS_RDONLY, NULL) == 0) {
			info("remounted %s read-only", point);
		} else if (errno != EINVAL) {
			/* EINVAL: no longer a mount point (a propagated unmount
			 * took it). ENOENT is no such case: the path no longer
			 * leads to the mount (hidden under a later mount that
			 * stayed, or its directory deleted), which stays as it is. */
			notice("cannot unmount or remount %s read-only: %m", point);
		}
	}
	mountinfo_free(points, count);
}

void final_stage_end(enum halt_mode mode, bool real_init)
{
	static const struct {
		int how;
		const char *what;
	} ways[] = {
		[HALT_POWEROFF] = { RB_POWER_OFF, "powering off" },
		[HALT_HALT] = { RB_HALT_SYSTEM, "halting" },
		[HALT_REBOOT] = { RB_AUTOBOOT, "rebooting" },
	};

	if (!real_init) {
		/* Inside a PID namespace reboot(2) would only kill us with a
		 * signal; ending cleanly says more to whoever started us. */
		notice("%s: leaving the PID namespace", ways[mode].what);
		exit(0);
	}
	unmount_all();
	notice("%s", ways[mode].what);
	reboot_now(ways[mode].how);
	/* Still here: reboot(2) failed. PID 1 must not exit; stay idle. */
	error("the system could not be stopped; it stays up with no processes");
}

static void finish(struct supervisor *supervisor)
{
	supervisor->final_step = FINAL_DONE;
	sync();
	if (supervisor->settings.container)
		container_exit(supervisor);
	/* A replaced binary still holds its old inode on /: let it go first,
	 * or / cannot be remounted read-only. */
	reexec_final_if_deleted(supervisor);
	final_stage_end(supervisor->halt_mode, supervisor->settings.real_init);
}

void final_stage_begin(struct supervisor *supervisor)
{
	supervisor->phase = PHASE_FINAL;
	supervisor->final_step = FINAL_TERM;
	supervisor->final_deadline = now_ms() + supervisor->level_grace_ms;
	if (!supervisor->settings.container)
		utmp_shutdown();
	notice("sending all processes the TERM signal");
	signal_everyone(SIGTERM);
	signal_everyone(SIGCONT);
	supervisor_reap(supervisor);
}

/* Is any process left that the final stage must wait for? Our children
 * tell us when they die. But in a PID namespace a process can have its
 * parent outside (nsenter, docker exec): only kill(-1, 0) sees those, and
 * no signal reports their end, so while they exist we look again every
 * FINAL_POLL_MS, for the grace time at most. The machine's real init
 * skips this: kernel threads always answer kill(-1, 0), and every user
 * process there descends from init. */
static bool processes_left(struct supervisor *supervisor)
{
	supervisor->final_poll = 0;
	if (supervisor->children_left)
		return true;
	if (supervisor->settings.real_init || getpid() != 1)
		return false;
	if (kill(-1, 0) < 0 && errno == ESRCH)
		return false;
	supervisor->final_poll = now_ms() + FINAL_POLL_MS;
	return true;
}

void final_stage_advance(struct supervisor *supervisor)
{
	if (supervisor->final_step != FINAL_DONE && !processes_left(supervisor))
		finish(supervisor);
}

void final_stage_expire(struct supervisor *supervisor)
{
	if (supervisor->final_deadline > now_ms()) {
		if (supervisor->final_poll && supervisor->final_poll <= now_ms())
			final_stage_advance(supervisor);
		return;
	}
	if (supervisor->final_step == FINAL_TERM) {
		notice("sending all processes the KILL signal");
		signal_everyone(SIGKILL);
		supervisor->final_step = FINAL_KILL;
		supervisor->final_deadline = now_ms() + KILL_WAIT_MS;
	} else if (supervisor->final_step == FINAL_KILL) {
		warning("processes survive SIGKILL after %d ms; going on without them", KILL_WAIT_MS);
		finish(supervisor);
	}
}
