/* The benchmark's probe: the process that an init under test starts, and
 * the clock the benchmark reads. Static, so that every init runs the same
 * program at the same cost. Times are CLOCK_MONOTONIC nanoseconds, which
 * every process of the machine shares.
 *
 *   probe now                 print the clock
 *   probe stamp FILE          append "<clock>\n" to FILE, then exit: as a
 *                             respawn entry, consecutive lines are one
 *                             death and the next start apart
 *   probe wait-lines FILE N   wait until FILE has N lines (100 µs polls),
 *                             print the clock then
 *   probe orphans N           fork a child that forks N children, which
 *                             exit at once, and exits without waiting
 *                             for them: N orphans for init (PID 1) to
 *                             reap. Prints the nanoseconds until init has
 *                             no child but the probe (or the shell that
 *                             started it), then those init spent on a CPU
 *   probe orphans-floor N     the same work, the child waiting for its
 *                             own children: no orphans at all. Prints
 *                             the wall time only
 *   probe orphans-reaper N    the same orphans, reaped by the probe itself
 *                             as their subreaper with a blocking wait
 *                             loop: the floor no init can beat, since the
 *                             kernel moves them to it as it would to init.
 *                             Prints the wall time and the probe's own
 *                             time on a CPU */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now(void)
{
	struct timespec clock;

	clock_gettime(CLOCK_MONOTONIC, &clock);
	return clock.tv_sec * 1000000000LL + clock.tv_nsec;
}

static int stamp(const char *path)
{
	char line[32];
	int length = snprintf(line, sizeof(line), "%lld\n", now());
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, line, length) != length)
		return 1;
	return 0;
}

static int count_lines(const char *path)
{
	char buffer[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC), lines = 0;
	ssize_t count;

	if (fd < 0)
		return 0;
	while ((count = read(fd, buffer, sizeof(buffer))) > 0)
		for (ssize_t i = 0; i < count; i++)
			lines += buffer[i] == '\n';
	close(fd);
	return lines;
}

static int wait_lines(const char *path, int wanted)
{
	struct timespec pause = { .tv_nsec = 100000 };

	for (long polls = 0; count_lines(path) < wanted; polls++) {
		if (polls > 600000) { /* a minute */
			fprintf(stderr, "probe: %s never reached %d lines\n", path, wanted);
			return 1;
		}
		nanosleep(&pause, NULL);
	}
	printf("%lld\n", now());
	return 0;
}

/* The nanoseconds a process has spent on a CPU: the first figure of
 * /proc/PID/schedstat, which the scheduler keeps to the nanosecond (the
 * times in /proc/PID/stat are in clock ticks of 10 ms). */
static long long cpu_ns(pid_t pid)
{
	char path[64], buffer[128];
	ssize_t length;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		perror(path);
		return -1;
	}
	length = read(fd, buffer, sizeof(buffer) - 1);
	close(fd);
	if (length <= 0) {
		fprintf(stderr, "probe: cannot read %s\n", path);
		return -1;
	}
	buffer[length] = '\0';
	return atoll(buffer);
}

/* How many children init (PID 1) has, from /proc. */
static int children_of_init(void)
{
	char buffer[1 << 17];
	int fd, count = 0;
	ssize_t length;

	fd = open("/proc/1/task/1/children", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((length = read(fd, buffer, sizeof(buffer))) > 0)
		for (ssize_t i = 0; i < length; i++)
			count += buffer[i] == ' ';
	close(fd);
	return count;
}

enum floor { NO_FLOOR, PARENT_WAITS, SUBREAPER_WAITS };

/* Forks count children that exit at once, in batches that fit the
 * machine's pid range; with PARENT_WAITS, their parent waits for them,
 * else it exits first and leaves them to init, or to this probe with
 * SUBREAPER_WAITS. Each batch is done when this probe has reaped them
 * all, or when init has no child left but this probe. Prints the
 * nanoseconds it all took, and those the reaper spent on a CPU. */
static int orphans(long total, enum floor floor)
{
	enum { BATCH = 10000 };
	struct timespec pause = { .tv_nsec = 1000000 };
	long long started = now(), reaper_started = 0;
	/* Who reaps: init, or this probe as the subreaper. The parent's own
	 * wait loop reaps in the child that also forks: no figure of its own.
	 * Init is PID 1, not always the parent: finit runs the probe from a
	 * shell that waits for it. */
	pid_t reaper = floor == SUBREAPER_WAITS ? getpid() : 1;
	int last[2];

	if (floor != PARENT_WAITS && (reaper_started = cpu_ns(reaper)) < 0)
		return 1;
	if (floor == SUBREAPER_WAITS && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		perror("probe: PR_SET_CHILD_SUBREAPER");
		return 1;
	}
	if (pipe(last) < 0) {
		perror("probe: pipe");
		return 1;
	}
	for (long done = 0; done < total; done += BATCH) {
		long count = total - done < BATCH ? total - done : BATCH;
		pid_t spawner = fork(), youngest = 0;

		if (spawner < 0)
			return 1;
		if (spawner == 0) {
			for (long i = 0; i < count; i++) {
				pid_t pid = fork();

				if (pid == 0)
					_exit(0);
				if (pid < 0) {
					perror("probe: fork");
					youngest = -1;
					break;
				}
				youngest = pid;
			}
			if (floor == PARENT_WAITS)
				while (wait(NULL) > 0 || errno == EINTR)
					;
			/* Its last child, or -1 (the pid in init's namespace is
			 * the pid in ours). The probe waits for this line. */
			_exit(write(last[1], &youngest, sizeof(youngest)) != sizeof(youngest) || youngest < 0);
		}
		if (read(last[0], &youngest, sizeof(youngest)) != sizeof(youngest) || youngest < 0) {
			fprintf(stderr, "probe: the spawner failed\n");
			return 1;
		}
		if (floor == SUBREAPER_WAITS) {
			/* The spawner and its count orphans. */
			for (long reaped = 0; reaped < count + 1;)
				if (wait(NULL) > 0)
					reaped++;
				else if (errno != EINTR) {
					perror("probe: wait");
					return 1;
				}
			continue;
		}
		waitpid(spawner, NULL, 0);
		if (floor == PARENT_WAITS)
			continue;
		/* A reaper's wait(-1), as every init here does, takes the
		 * oldest zombie first, and the orphans came to it in the order
		 * they were made: the youngest goes last. A look at whether it
		 * is still there costs no lock; a look at init's children
		 * takes the kernel's task list lock, which init's every reap
		 * takes too: looks every 1 ms added 7 to 40% to init's CPU
		 * time. One look at the children, once the youngest is gone,
		 * checks that none is left behind. */
		while (kill(youngest, 0) == 0 || children_of_init() > 1)
			nanosleep(&pause, NULL);
	}
	if (floor == PARENT_WAITS) {
		printf("%lld\n", now() - started);
		return 0;
	}
	long long reaper_spent = cpu_ns(reaper) - reaper_started;

	printf("%lld %lld\n", now() - started, reaper_spent);
	return reaper_spent < 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "now") == 0)
		return printf("%lld\n", now()) < 0;
	if (argc == 3 && strcmp(argv[1], "stamp") == 0)
		return stamp(argv[2]);
	if (argc == 4 && strcmp(argv[1], "wait-lines") == 0)
		return wait_lines(argv[2], atoi(argv[3]));
	if (argc == 3 && strcmp(argv[1], "orphans") == 0)
		return orphans(atol(argv[2]), NO_FLOOR);
	if (argc == 3 && strcmp(argv[1], "orphans-floor") == 0)
		return orphans(atol(argv[2]), PARENT_WAITS);
	if (argc == 3 && strcmp(argv[1], "orphans-reaper") == 0)
		return orphans(atol(argv[2]), SUBREAPER_WAITS);
	fprintf(stderr, "usage: probe now | stamp FILE | wait-lines FILE N | orphans N | orphans-floor N | orphans-reaper N\n");
	return 2;
}
