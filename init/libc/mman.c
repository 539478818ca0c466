/* mmap, mremap and munmap as the bare system calls, for init/libc/malloc.c
 * (musl's three: 470 bytes, most of it for threads that hydra does not
 * have). mremap reads a new address only with MREMAP_FIXED, which hydra
 * does not use. */
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset)
{
	return (void *)syscall(SYS_mmap, address, length, protection, flags, fd, offset);
}

void *mremap(void *old, size_t old_length, size_t new_length, int flags, ...)
{
	void *new_address = NULL;
	va_list arguments;

	if (flags & MREMAP_FIXED) {
		va_start(arguments, flags);
		new_address = va_arg(arguments, void *);
		va_end(arguments);
	}
	return (void *)syscall(SYS_mremap, old, old_length, new_length, flags, new_address);
}

int munmap(void *address, size_t length)
{
	return syscall(SYS_munmap, address, length);
}
