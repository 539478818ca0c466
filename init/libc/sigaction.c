/* sigaction as the bare rt_sigaction system call, with a return path of
 * its own for the handlers. musl's (638 bytes, and the lock it takes for
 * SIGABRT: 294 more) also records which signals have handlers and
 * unblocks its thread signals before the first one, which only threads
 * and abort need: hydra has neither. Like musl's, it refuses the three
 * signals musl keeps for its threads. x86-64 only, as init/libc/stat.c. */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SA_RESTORER /* not in glibc's headers, for tests/libc_test.c */
#define SA_RESTORER 0x04000000
#endif

/* The kernel's struct sigaction: its mask is the kernel's 64 signals. */
struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

/* Where a handler returns to: the kernel's rt_sigreturn, which restores
 * what the signal interrupted from the frame it pushed. */
_Static_assert(SYS_rt_sigreturn == 15, "rt_sigreturn is system call 15 (x86-64)");
void return_from_signal(void);
__asm__(".text\n"
	".globl return_from_signal\n"
	".hidden return_from_signal\n"
	".type return_from_signal, @function\n"
	"return_from_signal:\n"
	"	mov $15, %eax\n"
	"	syscall\n");

int sigaction(int number, const struct sigaction *restrict action, struct sigaction *restrict old)
{
	struct kernel_sigaction new_kernel, old_kernel;

	if (number - 32U < 3) {
		errno = EINVAL;
		return -1;
	}
	if (action) {
		new_kernel.handler = action->sa_handler;
		new_kernel.flags = action->sa_flags | SA_RESTORER;
		new_kernel.restorer = return_from_signal;
		memcpy(&new_kernel.mask, &action->sa_mask, sizeof(new_kernel.mask));
	}
	if (syscall(SYS_rt_sigaction, number, action ? &new_kernel : NULL, old ? &old_kernel : NULL,
		    sizeof(new_kernel.mask)) < 0)
		return -1;
	if (old) {
		old->sa_handler = old_kernel.handler;
		old->sa_flags = old_kernel.flags;
		sigemptyset(&old->sa_mask);
		memcpy(&old->sa_mask, &old_kernel.mask, sizeof(old_kernel.mask));
	}
	return 0;
}
