/* The final exec of init, in C because the signal state it resets is the
 * .NET runtime's. */
#define _GNU_SOURCE
#include "exports.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

/* The last step of init: reset every signal to its default, unblock them all,
 * and execve. Only returns on failure, with errno set. */
int ocirun_exec(const char *path, char *const argv[], char *const envp[])
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
	return -1;
}
