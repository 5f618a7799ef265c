/* A probe run inside test containers (SeccompTests): makes one raw syscall and
 * prints what the kernel, or the seccomp filter, answered.
 *   syscall NR [ARG...]         -> "ok RET" or "errno N"
 *   syscall trap NR [ARG...]    -> the same, with a SIGSYS handler that prints "SIGSYS N" (the syscall trapped)
 *   syscall thread NR [ARG...]  -> the syscall in a second thread; then "process alive"
 * An ARG that starts with a digit is a number (strtoull, base 0); any other is a pointer to that string. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long nr;
static unsigned long args[6];

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
	(void)sig;
	(void)context;
	printf("SIGSYS %d\n", info->si_syscall);
	fflush(stdout);
	_exit(0);
}

static void *call(void *unused)
{
	(void)unused;
	errno = 0;
	long rc = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
	if (rc < 0)
		printf("errno %d\n", errno);
	else
		printf("ok %ld\n", rc);
	fflush(stdout);
	return NULL;
}

int main(int argc, char **argv)
{
	int first = 1;
	int trap = 0, thread = 0;
	if (argc > 1 && strcmp(argv[1], "trap") == 0)
		trap = 1, first++;
	else if (argc > 1 && strcmp(argv[1], "thread") == 0)
		thread = 1, first++;
	if (argc <= first || argc - first - 1 > 6) {
		fprintf(stderr, "usage: syscall [trap|thread] NR [ARG...]\n");
		return 2;
	}
	nr = strtol(argv[first], NULL, 0);
	for (int i = first + 1; i < argc; i++)
		args[i - first - 1] = (argv[i][0] >= '0' && argv[i][0] <= '9') ? strtoull(argv[i], NULL, 0) : (unsigned long)argv[i];
	if (trap) {
		struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &sa, NULL);
	}
	if (thread) {
		pthread_t t;
		if (pthread_create(&t, NULL, call, NULL) != 0)
			return 3;
		pthread_join(t, NULL);
		printf("process alive\n");
		return 0;
	}
	call(NULL);
	return 0;
}
