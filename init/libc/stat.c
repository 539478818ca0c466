/* stat, fstat, lstat and readlink as the bare system calls. musl's stat
 * functions go through fstatat, which copies the kernel's structure field
 * by field and falls back to /proc/self/fd for an fstat of an O_PATH
 * descriptor (712 bytes with that fallback). On x86-64 the kernel's
 * struct stat is laid out as the C library's (the size below checks it);
 * hydra never fstats an O_PATH descriptor. */
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(struct stat) == 144, "struct stat is the kernel's (x86-64)");

int stat(const char *restrict path, struct stat *restrict status)
{
	return syscall(SYS_stat, path, status);
}

int lstat(const char *restrict path, struct stat *restrict status)
{
	return syscall(SYS_lstat, path, status);
}

int fstat(int fd, struct stat *status)
{
	return syscall(SYS_fstat, fd, status);
}

/* musl's also answers 0 for a buffer of 0 bytes, where the kernel says
 * EINVAL; hydra always gives a buffer. */
ssize_t readlink(const char *restrict path, char *restrict buffer, size_t size)
{
	return syscall(SYS_readlink, path, buffer, size);
}
