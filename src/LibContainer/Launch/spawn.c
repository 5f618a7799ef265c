/*
 * Spawning a child with a clean signal state, written in C because it must
 * not be managed code: the child shares the parent's memory until its execve.
 */
#define _GNU_SOURCE
#include "exports.h"

#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>
#include <linux/sched.h>

struct spawn_request {
	int exe_fd;
	char *const *argv;
	char *const *envp;
	const int *keep_fds;
	int keep_count;
};

/* The child of ocirun_spawn. It shares the parent's memory (the parent is
 * suspended until the execve), so it makes raw syscalls only and touches
 * nothing but its own stack. */
static int spawn_child(void *arg)
{
	const struct spawn_request *r = arg;
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	/* The handler table is the child's own copy (no CLONE_SIGHAND). */
	for (int sig = 1; sig < 65; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, 8);
	for (int i = 0; i < r->keep_count; i++)
		syscall(SYS_fcntl, r->keep_fds[i], F_SETFD, 0);
	uint64_t none = 0;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8);
	syscall(SYS_execveat, r->exe_fd, "", r->argv, r->envp, AT_EMPTY_PATH);
	return 127;
}

/* clone3 whose child runs fn(arg) on the stack given in args and exits with
 * its result; the parent gets the child's PID or -errno. Written out because
 * glibc has no clone3 wrapper that takes a function. */
static long clone3_run(struct clone_args *args, int (*fn)(void *), void *arg)
{
	long ret;
	register int (*r8)(void *) __asm__("r8") = fn;
	register void *r9 __asm__("r9") = arg;
	__asm__ volatile(
		"syscall\n\t"
		"test %%rax, %%rax\n\t"
		"jnz 1f\n\t"
		"xor %%ebp, %%ebp\n\t"
		"mov %%r9, %%rdi\n\t"
		"call *%%r8\n\t"
		"mov %%eax, %%edi\n\t"
		"mov $231, %%eax\n\t" /* exit_group */
		"syscall\n\t"
		"hlt\n"
		"1:\n\t"
		: "=a"(ret)
		: "0"((long)SYS_clone3), "D"(args), "S"(sizeof(*args)), "r"(r8), "r"(r9)
		: "rcx", "r11", "memory");
	return ret;
}

/* Spawn the binary behind exe_fd with default signal dispositions, an empty signal mask (the .NET
 * runtime ignores SIGPIPE and blocks signals on some threads) and the listed
 * fds kept open. Like posix_spawn the child shares our memory until its
 * execve (CLONE_VM | CLONE_VFORK): copying the address space of a .NET
 * process, then taking a copy-on-write fault on every page it writes
 * afterwards, costs far more than the spawn itself. Returns 0 or an errno value. */
int ocirun_spawn(int exe_fd, char *const argv[], char *const envp[],
		 const int *keep_fds, int keep_count, int *pid_out)
{
	/* The child's stack: it runs while we are suspended, so ours can lend it room. */
	char stack[16384] __attribute__((aligned(16)));
	struct spawn_request request = {
		.exe_fd = exe_fd, .argv = argv, .envp = envp,
		.keep_fds = keep_fds, .keep_count = keep_count,
	};
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_VM | CLONE_VFORK;
	args.exit_signal = SIGCHLD;
	args.stack = (uint64_t)(uintptr_t)stack;
	args.stack_size = sizeof(stack);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	long pid = clone3_run(&args, spawn_child, &request);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0)
		return (int)-pid;
	*pid_out = (int)pid;
	return 0;
}

