/* fcntl for the commands hydra uses, as the bare system call. musl's
 * (423 bytes) also emulates F_DUPFD_CLOEXEC for kernels older than
 * 2.6.24 and answers F_GETOWN through F_GETOWN_EX; any other command
 * than those below fails here with EINVAL rather than be passed on with
 * an argument read blindly. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

int fcntl(int fd, int command, ...)
{
	long argument = 0;
	va_list arguments;

	switch (command) {
	case F_GETFD:
	case F_GETFL:
		break;
	case F_SETFD:
	case F_SETFL:
	case F_DUPFD_CLOEXEC:
		va_start(arguments, command);
		argument = va_arg(arguments, int);
		va_end(arguments);
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	return syscall(SYS_fcntl, fd, command, argument);
}
