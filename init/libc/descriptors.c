/* System calls that make or wait on descriptors, bare. musl's wrappers
 * (865 bytes) emulate what kernels before 2.6.28 (2008) lacked: O_CLOEXEC,
 * SOCK_CLOEXEC, SOCK_NONBLOCK, accept4, signalfd4, epoll_create1,
 * epoll_pwait. hydra is not for kernels that old. */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The mode is there only when a file may be made, as musl reads it. */
int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list arguments;

	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_start(arguments, flags);
		mode = va_arg(arguments, mode_t);
		va_end(arguments);
	}
	return syscall(SYS_open, path, flags, mode);
}

int socket(int domain, int type, int protocol)
{
	return syscall(SYS_socket, domain, type, protocol);
}

int accept4(int fd, struct sockaddr *restrict address, socklen_t *restrict length, int flags)
{
	return syscall(SYS_accept4, fd, address, length, flags);
}

/* The kernel's signal set is its 64 signals: 8 bytes. */
int signalfd(int fd, const sigset_t *signals, int flags)
{
	return syscall(SYS_signalfd4, fd, signals, 8, flags);
}

/* All three, or musl's file of them would be linked beside. */
int epoll_create1(int flags)
{
	return syscall(SYS_epoll_create1, flags);
}

int epoll_ctl(int fd, int operation, int target, struct epoll_event *event)
{
	return syscall(SYS_epoll_ctl, fd, operation, target, event);
}

int epoll_wait(int fd, struct epoll_event *events, int count, int timeout)
{
	return syscall(SYS_epoll_wait, fd, events, count, timeout);
}
