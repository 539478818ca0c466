#include "client.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "file.h"
#include "initctl.h"
#include "inittab.h"
#include "log.h"
#include "number.h"
#include "supervisor.h"
#include "tzfile.h"
#include "utmp.h"

/* init answers at once; this only guards against a hung or stopped init. */
enum { ANSWER_TIMEOUT_SECONDS = 10 };

static const char *program = "telinit";

static const char *control_path(const char *option)
{
	const char *from_environment = getenv("INIT_CONTROL");

	if (option)
		return option;
	return from_environment && *from_environment ? from_environment : DEFAULT_CONTROL;
}

/* Sends request to init and reads the whole answer into answer (malloc'd).
 * Returns 0, or -1 with a message already printed. */
static int ask(const char *path, const char *request, char **answer)
{
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	struct timeval timeout = { .tv_sec = ANSWER_TIMEOUT_SECONDS };
	const char *failure = NULL; /* what went wrong with init, errno saying why */
	size_t used;
	int fd;

	if (strlen(path) >= sizeof(address.sun_path)) {
		dprintf(STDERR_FILENO, "%s: control socket path too long: %s\n", program, path);
		return -1;
	}
	memcpy(address.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		dprintf(STDERR_FILENO, "%s: cannot create a socket: %m\n", program);
		return -1;
	}
	/* For a Unix socket the send timeout also bounds connect, which waits
	 * while init's backlog is full (init stopped, or not accepting). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout)) < 0 ||
	    connect(fd, (struct sockaddr *)&address, sizeof(address)) < 0)
		failure = "cannot reach";
	else if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0)
		failure = "cannot send to";
	else if (!(*answer = read_whole_fd(fd, &used)))
		failure = "no answer from";
	if (failure)
		dprintf(STDERR_FILENO, "%s: %s init at %s: %s\n", program, failure, path,
			errno == EAGAIN ? "timed out" : strerror(errno));
	close(fd);
	return failure ? -1 : 0;
}

/* Asks, prints the answer's message (stdout) or refusal (stderr). Returns
 * the exit status: 0 if init said ok. */
static int request(const char *path, const char *line)
{
	char *answer;
	int status;

	if (ask(path, line, &answer) < 0)
		return 1;
	if (strncmp(answer, "ok", 2) == 0 && (answer[2] == ' ' || answer[2] == '\n')) {
		dprintf(STDOUT_FILENO, "%s", answer + 3); /* after "ok " or "ok\n" */
		status = 0;
	} else if (strncmp(answer, "error ", 6) == 0) {
		dprintf(STDERR_FILENO, "%s: init refused: %s", program, answer + 6);
		status = 1;
	} else {
		dprintf(STDERR_FILENO, "%s: unexpected answer from init: %.80s\n", program, answer);
		status = 1;
	}
	free(answer);
	return status;
}

static int parse_grace(const char *text, uint64_t *milliseconds)
{
	if (parse_seconds(text, 3600000, milliseconds) < 0) {
		dprintf(STDERR_FILENO, "%s: bad time '%s': give seconds, 0 to 3600\n", program, text);
		return -1;
	}
	return 0;
}

static void telinit_usage(int to)
{
	dprintf(to, "usage: telinit [-c SOCKET] [-t SECONDS] 0-9|S|Q|U|A-C|status\n"
		    "  0-9, S  switch to that runlevel (0 powers off, 6 reboots)\n"
		    "  Q       reload the inittab\n"
		    "  U       re-execute init (a new binary), keeping every process\n"
		    "  A-C     start the entries of that ondemand level\n"
		    "  status  list every entry and its state\n"
		    "  -t SECONDS  grace time between TERM and KILL for this change\n"
		    "  -c SOCKET   init's control socket (default $INIT_CONTROL or "
		    DEFAULT_CONTROL ")\n");
}

int telinit_main(int argc, char **argv)
{
	const char *socket_option = NULL, *argument;
	uint64_t grace = 0;
	char line[64];
	int option, level, letter;

	program = "telinit";
	while ((option = getopt(argc, argv, "+c:t:h")) != -1) {
		switch (option) {
		case 'c':
			socket_option = optarg;
			break;
		case 't':
			if (parse_grace(optarg, &grace) < 0)
				return 2;
			break;
		case 'h':
			telinit_usage(STDOUT_FILENO);
			return 0;
		default:
			telinit_usage(STDERR_FILENO);
			return 2;
		}
	}
	if (optind != argc - 1) {
		dprintf(STDERR_FILENO, "telinit: %s\n", optind == argc ? "missing runlevel" : "too many arguments");
		telinit_usage(STDERR_FILENO);
		return 2;
	}
	argument = argv[optind];
	/* A level or letter is one character: it and its index, else 0 and -1. */
	letter = argument[0] && !argument[1] ? argument[0] : 0;
	level = letter ? level_index(letter) : -1;
	if (strcmp(argument, "status") == 0) {
		return request(control_path(socket_option), "status\n");
	} else if (letter == 'q' || letter == 'Q') {
		return request(control_path(socket_option), "reload\n");
	} else if (letter == 'u' || letter == 'U') {
		return request(control_path(socket_option), "reexec\n");
	} else if (level >= LEVEL_A) {
		snprintf(line, sizeof(line), "ondemand %c\n", level_character(level));
	} else if (level >= 0) {
		snprintf(line, sizeof(line), grace ? "level %c grace=%llu\n" : "level %c\n",
			 level_character(level), (unsigned long long)grace);
	} else {
		dprintf(STDERR_FILENO, "telinit: bad argument '%s': expected 0-9, S, Q, U, A-C or status\n", argument);
		return 2;
	}
	return request(control_path(socket_option), line);
}

int runlevel_main(int argc, char **argv)
{
	const char *socket_option = NULL;
	int option;

	program = "runlevel";
	while ((option = getopt(argc, argv, "c:")) != -1) {
		if (option != 'c') {
			dprintf(STDERR_FILENO, "usage: runlevel [-c SOCKET]\n");
			return 2;
		}
		socket_option = optarg;
	}
	if (optind != argc) {
		dprintf(STDERR_FILENO, "usage: runlevel [-c SOCKET]\n");
		return 2;
	}
	if (request(control_path(socket_option), "runlevel\n") != 0) {
		dprintf(STDOUT_FILENO, "unknown\n");
		return 1;
	}
	return 0;
}

static void halt_usage(int to, const char *verb)
{
	dprintf(to, "usage: %s [-dfhinpw] [-t SECONDS] [-c SOCKET]\n"
		    "  asks init to %s (runlevel 0 or 6); from the scripts of runlevel 0 or 6,\n"
		    "  or with -f, does it at once: wtmp record, sync, reboot(2)\n"
		    "  -f  force: do not ask init\n"
		    "  -p  halt: power off\n"
		    "  -w  only write the wtmp shutdown record\n"
		    "  -d  no wtmp record\n"
		    "  -n  no sync (and no wtmp record)\n"
		    "  -i, -h  accepted, nothing to do: the kernel stops interfaces and disks\n"
		    "  -t SECONDS  grace time between TERM and KILL\n"
		    "  -c SOCKET   init's control socket\n", program, verb);
}

/* Started by init for the scripts of level 0 or 6 ($INIT_VERSION and
 * $RUNLEVEL are init's): then halt does the job itself, as sysvinit's. */
static bool in_shutdown_scripts(void)
{
	const char *level = getenv("RUNLEVEL");

	return getenv("INIT_VERSION") && level && (strcmp(level, "0") == 0 || strcmp(level, "6") == 0);
}

/* The wtmp "shutdown" record: the machine's /var/log/wtmp, or, when
 * $HYDRA_WTMP names one (the tests), that file. */
static void record_shutdown(void)
{
	utmp_configure(getenv("HYDRA_WTMP") == NULL);
	utmp_shutdown();
}

/* halt, poweroff and reboot, with sysvinit's options: -n -w -d -f -i -p -h. */
int halt_main(int argc, char **argv)
{
	static const struct {
		const char *name, *verb;
		int how;
	} roles[] = {
		{ "halt", "halt", RB_HALT_SYSTEM },
		{ "poweroff", "poweroff", RB_POWER_OFF },
		{ "reboot", "reboot", RB_AUTOBOOT },
	};
	const char *socket_option = NULL, *name = basename(argv[0]);
	unsigned role = 0;
	bool force = false, wtmp = true, wtmp_only = false, sync_first = true;
	uint64_t grace = 0;
	char line[64];
	int option;

	for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(name, roles[i].name) == 0)
			role = i;
	program = roles[role].name;
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		halt_usage(STDOUT_FILENO, roles[role].verb);
		return 0;
	}
	while ((option = getopt(argc, argv, "dfhinpwc:t:")) != -1) {
		switch (option) {
		case 'd':
			wtmp = false;
			break;
		case 'f':
			force = true;
			break;
		case 'h': /* disks to standby: sd stops them itself at power-off */
		case 'i': /* interfaces down: Debian's networking script did it */
			break;
		case 'n':
			sync_first = false;
			wtmp = false;
			break;
		case 'p':
			if (role == 0)
				role = 1; /* halt -p powers off, as in sysvinit */
			break;
		case 'w':
			wtmp_only = true;
			break;
		case 'c':
			socket_option = optarg;
			break;
		case 't':
			if (parse_grace(optarg, &grace) < 0)
				return 2;
			break;
		default:
			halt_usage(STDERR_FILENO, roles[role].verb);
			return 2;
		}
	}
	if (optind != argc) {
		dprintf(STDERR_FILENO, "%s: unexpected argument '%s'\n", program, argv[optind]);
		return 2;
	}
	if (wtmp_only) {
		if (wtmp)
			record_shutdown();
		return 0;
	}
	if (force || in_shutdown_scripts()) {
		if (wtmp)
			record_shutdown();
		if (sync_first)
			sync();
		reboot(roles[role].how);
		dprintf(STDERR_FILENO, "%s: reboot(2): %m\n", program);
		return 1;
	}
	snprintf(line, sizeof(line), grace ? "%s grace=%llu\n" : "%s\n", roles[role].verb,
		 (unsigned long long)grace);
	return request(control_path(socket_option), line);
}

/* --- shutdown ------------------------------------------------------------ */

#define SHUTDOWN_PID "/run/shutdown.pid"
#define NOLOGIN "/run/nologin"

static volatile sig_atomic_t shutdown_cancelled;

static void cancel_shutdown(int signal_number)
{
	(void)signal_number;
	shutdown_cancelled = 1;
}

/* Sets (NAME=VALUE) or unsets (NAME) an INIT_* variable in init through
 * /run/initctl, as sysvinit's shutdown does: rc 0 reads INIT_HALT. */
static void set_init_variable(const char *item)
{
	struct {
		int magic, command, runlevel, sleeptime;
		char data[INITCTL_DATA_SIZE];
	} request = { .magic = INITCTL_MAGIC, .command = 6 };
	/* Never wait for a reader: init always holds the FIFO open. */
	int fd = open(DEFAULT_INITCTL, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	_Static_assert(sizeof(request) == INITCTL_REQUEST_SIZE, "sysvinit's struct init_request");
	memcpy(request.data, item, strnlen(item, sizeof(request.data) - 2)); /* the rest is zero */
	if (fd < 0 || write(fd, &request, sizeof(request)) != (ssize_t)sizeof(request))
		dprintf(STDERR_FILENO, "shutdown: cannot set %s through %s: %m\n", item, DEFAULT_INITCTL);
	if (fd >= 0)
		close(fd);
}

/* The local time's offset from UTC at when, in seconds, as the C library
 * would have it: from the zone file TZ names (":NAME", a path, or a name
 * under /usr/share/zoneinfo), else /etc/localtime, else UTC (also when TZ
 * is empty). -1 if TZ
 * names no readable zone file, or the file is not one (said on stderr). */
static int local_offset(time_t when, long *offset)
{
	const char *zone = getenv("TZ");
	char path[PATH_MAX];
	size_t length;
	unsigned char *data;
	int result;

	if (zone && *zone == ':')
		zone++;
	if (zone && !*zone) {
		*offset = 0; /* TZ set but empty: UTC, as in glibc and musl */
		return 0;
	}
	if (!zone)
		snprintf(path, sizeof(path), "/etc/localtime");
	else
		snprintf(path, sizeof(path), "%s%s", *zone == '/' ? "" : "/usr/share/zoneinfo/", zone);
	data = (unsigned char *)read_small_file(path, 1 << 20, &length);
	if (!data && !zone && errno == ENOENT) {
		*offset = 0;
		return 0;
	}
	if (!data) {
		dprintf(STDERR_FILENO, "shutdown: cannot read the time zone %s: %s\n", path,
			describe_read_error(errno));
		return -1;
	}
	result = tzfile_offset(data, length, when, offset);
	if (result < 0)
		dprintf(STDERR_FILENO, "shutdown: %s is not a zone file (tzfile(5))\n", path);
	free(data);
	return result;
}

/* now, +MINUTES, MINUTES or HH:MM (the next time the local clock shows
 * it, counted in whole minutes as sysvinit does) to minutes from now; -1
 * if none of these, -2 if the local time is unknown (said on stderr). */
static long parse_when(const char *text)
{
	bool plus = *text == '+';
	const char *digits = text + plus;
	unsigned long number;
	char *end;
	long offset, now_minute;
	struct timespec clock;
	time_t now;

	if (strcmp(text, "now") == 0)
		return 0;
	if (*digits < '0' || *digits > '9')
		return -1;
	number = strtoul(digits, &end, 10);
	if (!*end)
		return number > 525600 ? -1 : (long)number;
	/* HH:MM: an hour of one or two digits, a minute of two. */
	if (plus || *end != ':' || end - digits > 2 || number > 23 || end[1] < '0' || end[1] > '5' ||
	    end[2] < '0' || end[2] > '9' || end[3])
		return -1;
	number = number * 60 + (unsigned long)(end[1] - '0') * 10 + (unsigned long)(end[2] - '0');
	read_clock(CLOCK_REALTIME, &clock); /* time() would bring musl's vDSO lookup back: see log.c */
	now = clock.tv_sec;
	if (local_offset(now, &offset) < 0)
		return -2;
	now_minute = (long)((((int64_t)now + offset) / 60 % 1440 + 1440) % 1440);
	return ((long)number - now_minute + 1440) % 1440;
}

static void shutdown_usage(int to)
{
	dprintf(to, "usage: shutdown [-hHPrkc] [-t SECONDS] TIME [MESSAGE]\n"
		    "  TIME  now, +MINUTES or HH:MM (local time)\n"
		    "  -h    halt or power off (level 0; -H halt, -P power off, neither: rc 0 decides)\n"
		    "  -r    reboot (level 6); neither -h nor -r: single-user mode (level 1)\n"
		    "  -k    only warn; -c cancel a waiting shutdown\n"
		    "  -t SECONDS  grace time between TERM and KILL\n"
		    "  -a, -f, -F, -n  accepted as sysvinit's (-f, -F: /fastboot, /forcefsck)\n");
}

static void remove_shutdown_files(void)
{
	unlink(SHUTDOWN_PID);
	unlink(NOLOGIN);
}

/* The warning, on shutdown's own output and to every login's terminal
 * (utmp: $HYDRA_UTMP, else /var/run/utmp), and into /run/nologin in the
 * last five minutes. */
static void warn_users(const char *state, long minutes, const char *message)
{
	const char *utmp = getenv("HYDRA_UTMP");
	char text[512];
	struct utsname system = { .nodename = "" };
	int length;

	if (minutes)
		length = snprintf(text, sizeof(text), "The system is going DOWN %s in %ld minute%s!%s%s\n",
				  state, minutes, minutes == 1 ? "" : "s", *message ? " " : "", message);
	else
		length = snprintf(text, sizeof(text), "The system is going down %s NOW!%s%s\n", state,
				  *message ? " " : "", message);
	dprintf(STDOUT_FILENO, "%s", text);
	uname(&system); /* gethostname would add 160 bytes for this copy of it */
	if (length > 0 && (size_t)length < sizeof(text)) {
		char wall[640];

		text[length - 1] = '\0';
		snprintf(wall, sizeof(wall), "\r\nBroadcast message from shutdown (root@%s):\r\n\r\n%s\r\n",
			 system.nodename, text);
		utmp_wall(utmp && *utmp ? utmp : "/var/run/utmp", wall);
	}
	if (minutes <= 5) {
		int fd = open(NOLOGIN, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);

		if (fd >= 0) {
			dprintf(fd, "The system is going down %s.\n", state);
			close(fd);
		}
	}
}

int shutdown_main(int argc, char **argv)
{
	const char *halt_type = NULL, *state;
	char level = '1', message[256] = "", line[64];
	bool cancel = false, warn_only = false, fastboot = false, forcefsck = false;
	struct sigaction on_interrupt = { .sa_handler = cancel_shutdown };
	uint64_t grace = 0;
	long minutes;
	int option, fd;

	program = "shutdown";
	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		shutdown_usage(STDOUT_FILENO);
		return 0;
	}
	while ((option = getopt(argc, argv, "HPacfFhknrt:y")) != -1) {
		switch (option) {
		case 'H':
			halt_type = "HALT";
			break;
		case 'P':
			halt_type = "POWEROFF";
			break;
		case 'h':
			level = '0';
			break;
		case 'r':
			level = '6';
			break;
		case 'c':
			cancel = true;
			break;
		case 'k':
			warn_only = true;
			break;
		case 'f':
			fastboot = true;
			break;
		case 'F':
			forcefsck = true;
			break;
		case 'a': /* /etc/shutdown.allow: anyone who may run it is root here */
		case 'n': /* sysvinit kills everything itself; init does it in order */
		case 'y':
			break;
		case 't':
			if (parse_grace(optarg, &grace) < 0)
				return 2;
			break;
		default:
			shutdown_usage(STDERR_FILENO);
			return 2;
		}
	}
	if (getuid() != 0) {
		dprintf(STDERR_FILENO, "shutdown: you must be root to do that\n");
		return 1;
	}
	for (int i = optind + !cancel; i < argc; i++) {
		size_t used = strlen(message);

		snprintf(message + used, sizeof(message) - used, "%s%s", used ? " " : "", argv[i]);
	}
	if (cancel) {
		size_t length;
		char *text = read_small_file(SHUTDOWN_PID, 32, &length);
		long pid = text ? strtol(text, NULL, 10) : 0;

		free(text);
		if (pid <= 0 || kill((pid_t)pid, SIGINT) < 0) {
			dprintf(STDERR_FILENO, "shutdown: no shutdown is waiting\n");
			return 1;
		}
		set_init_variable("INIT_HALT");
		if (*message)
			dprintf(STDOUT_FILENO, "%s\n", message);
		return 0;
	}
	if (optind == argc || (minutes = parse_when(argv[optind])) == -1) {
		dprintf(STDERR_FILENO, "shutdown: %s: give the time as now, +MINUTES or HH:MM\n",
			optind == argc ? "no time" : "bad time");
		return 2;
	}
	if (minutes < 0)
		return 1;
	if (halt_type && level != '0') {
		dprintf(STDERR_FILENO, "shutdown: -H and -P go with -h\n");
		return 2;
	}
	state = level == '0' ? "for system halt" : level == '6' ? "for reboot" : "to maintenance mode";
	fd = open(SHUTDOWN_PID, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dprintf(fd, "%d\n", (int)getpid());
		close(fd);
	}
	sigaction(SIGINT, &on_interrupt, NULL);
	if (fastboot)
		close(open("/fastboot", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
	if (forcefsck)
		close(open("/forcefsck", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644));
	/* A warning a minute; SIGINT (shutdown -c) ends the wait. */
	for (; minutes > 0 && !shutdown_cancelled; minutes--) {
		warn_users(state, minutes, message);
		poll(NULL, 0, 60 * 1000); /* a minute, or until SIGINT: see keep_trying in loop.c */
	}
	if (shutdown_cancelled || warn_only) {
		remove_shutdown_files();
		if (fastboot)
			unlink("/fastboot");
		if (forcefsck)
			unlink("/forcefsck");
		dprintf(STDOUT_FILENO, "%s\n", shutdown_cancelled ? "Shutdown cancelled."
								    : "Only a warning: not going down.");
		return 0;
	}
	warn_users(state, 0, message);
	remove_shutdown_files();
	if (level == '0')
		set_init_variable(halt_type ? (halt_type[0] == 'H' ? "INIT_HALT=HALT" : "INIT_HALT=POWEROFF")
					    : "INIT_HALT");
	snprintf(line, sizeof(line), grace ? "level %c grace=%llu\n" : "level %c\n", level,
		 (unsigned long long)grace);
	return request(control_path(NULL), line);
}
