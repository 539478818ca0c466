/* Test helper for tests/test_container.sh; the tests compile it with gcc.
 *   sigtool catch FILE [EXIT_SIGNAL]  writes "PID\n" to FILE.pid, then each
 *                                     signal it gets as "N\n" to FILE; exits 0
 *                                     after recording EXIT_SIGNAL
 *   sigtool mask BLOCK IGNORE CMD...  runs CMD with exactly the signals of
 *                                     the comma lists BLOCK blocked and IGNORE
 *                                     ignored ("-" for none), others default
 *   sigtool pty CMD...                runs CMD as the session leader of a new
 *                                     pty: stdin goes to it, its output to
 *                                     stdout; exits with CMD's status (128+N) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int record_fd = -1, exit_signal;

static void record(int number)
{
	char line[16];
	int length = snprintf(line, sizeof(line), "%d\n", number);

	if (write(record_fd, line, length) < 0)
		_exit(3);
	if (number == exit_signal)
		_exit(0);
}

static int catch_signals(const char *file, const char *exit_name)
{
	char path[4096], temporary[4200];
	FILE *pid_file;

	record_fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
	exit_signal = exit_name ? atoi(exit_name) : 0;
	for (int number = 1; number < NSIG; number++) {
		struct sigaction action = { .sa_handler = record, .sa_flags = SA_RESTART };

		/* One handler at a time: signals that arrive together (a
		 * forwarded USR1, then the final TERM) would otherwise nest,
		 * the last one's handler first, and TERM's exit would lose
		 * USR1's line. */
		sigfillset(&action.sa_mask);
		if (number != SIGCHLD)
			sigaction(number, &action, NULL);
	}
	/* Written (atomically) once the handlers exist: a test that sees the
	 * pid may signal at once. */
	snprintf(path, sizeof(path), "%s.pid", file);
	snprintf(temporary, sizeof(temporary), "%s.tmp", path);
	pid_file = fopen(temporary, "w");
	if (!pid_file)
		return 3;
	fprintf(pid_file, "%d\n", (int)getpid());
	fclose(pid_file);
	rename(temporary, path);
	for (;;)
		pause();
}

static void fill(sigset_t *set, const char *list)
{
	char copy[1024];

	sigemptyset(set);
	if (strcmp(list, "-") == 0)
		return;
	snprintf(copy, sizeof(copy), "%s", list);
	for (char *item = strtok(copy, ","); item; item = strtok(NULL, ","))
		sigaddset(set, atoi(item));
}

static int run_masked(const char *block, const char *ignore, char **command)
{
	sigset_t blocked, ignored;

	fill(&blocked, block);
	fill(&ignored, ignore);
	for (int number = 1; number < NSIG; number++)
		signal(number, sigismember(&ignored, number) == 1 ? SIG_IGN : SIG_DFL);
	sigprocmask(SIG_SETMASK, &blocked, NULL);
	if (!command)
		return 0;
	execvp(command[0], command);
	perror(command[0]);
	return 127;
}

static int run_in_pty(char **command)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), status = 0;
	int input_open = 1;
	pid_t child;

	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
		perror("pty");
		return 125;
	}
	child = fork();
	if (child == 0) {
		int slave;

		/* A fresh login's signals, as a terminal emulator gives them,
		 * whatever the test runner ignores or blocks. */
		run_masked("-", "-", NULL);
		setsid();
		slave = open(ptsname(master), O_RDWR); /* becomes the controlling terminal */
		if (slave < 0) {
			perror("open pty");
			_exit(125);
		}
		close(master);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(command[0], command);
		perror(command[0]);
		_exit(127);
	}
	for (;;) {
		struct pollfd fds[2] = { { master, POLLIN, 0 }, { 0, input_open ? POLLIN : 0, 0 } };
		char buffer[4096];
		ssize_t got;

		if (waitpid(child, &status, WNOHANG) == child)
			break;
		if (poll(fds, 2, 50) < 0 && errno != EINTR)
			break;
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			got = read(master, buffer, sizeof(buffer));
			if (got > 0 && write(1, buffer, got) < 0)
				break;
		}
		if (fds[1].revents & (POLLIN | POLLHUP)) {
			got = read(0, buffer, sizeof(buffer));
			if (got <= 0)
				input_open = 0;
			else if (write(master, buffer, got) < 0)
				break;
		}
	}
	/* What is left in the pty. */
	fcntl(master, F_SETFL, O_NONBLOCK);
	for (;;) {
		char buffer[4096];
		ssize_t got = read(master, buffer, sizeof(buffer));

		if (got <= 0 || write(1, buffer, got) < 0)
			break;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 125;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "catch") == 0)
		return catch_signals(argv[2], argc > 3 ? argv[3] : NULL);
	if (argc >= 5 && strcmp(argv[1], "mask") == 0)
		return run_masked(argv[2], argv[3], argv + 4);
	if (argc >= 3 && strcmp(argv[1], "pty") == 0)
		return run_in_pty(argv + 2);
	fprintf(stderr, "usage: see the top of sigtool.c\n");
	return 2;
}
