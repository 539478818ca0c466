/* tcgetpgrp and tcsetpgrp as the bare ioctls: musl's go through its ioctl
 * (240 bytes with it), which converts time structures for 32-bit
 * systems. */
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

pid_t tcgetpgrp(int fd)
{
	pid_t group;

	return syscall(SYS_ioctl, fd, TIOCGPGRP, &group) < 0 ? -1 : group;
}

int tcsetpgrp(int fd, pid_t group)
{
	return syscall(SYS_ioctl, fd, TIOCSPGRP, &group);
}
