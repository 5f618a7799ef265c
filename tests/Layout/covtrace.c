/*
 * covtrace: which functions does each oci-run process enter, and in what order?
 *
 *   covtrace FUNCTIONS OUT BINARY -- command args...
 *
 * FUNCTIONS lists "hexaddress name" lines, sorted by address: the entry points
 * of BINARY (a non-PIE build, so every process maps them at the same address).
 * The command runs under ptrace, with every process and thread it starts. Each
 * process that executes BINARY gets a one-shot breakpoint (int3) on every entry
 * point; a hit appends "ROLE name" to OUT, where ROLE is 'i' for `oci-run init`
 * (and the init it forks) and 'c' for any other command, then the original byte
 * goes back. A process that executes anything else is let go.
 *
 * Used by regenerate.sh to lay out the binary so that the code a process runs
 * is packed together (see src/OciRun/Layout/README.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PID 4194304

static unsigned long *entry;
static char **entry_name;
static unsigned char *original;
static int entries;
static char *role; /* by PID/TID: 0 not ours, 'c' a command, 'i' init */

static int find(unsigned long address)
{
	int lo = 0, hi = entries - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (entry[mid] == address)
			return mid;
		if (entry[mid] < address)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static void set_breakpoints(pid_t pid)
{
	for (int i = 0; i < entries; i++) {
		errno = 0;
		long word = ptrace(PTRACE_PEEKTEXT, pid, entry[i], 0);
		if (errno != 0)
			continue;
		original[i] = (unsigned char)(word & 0xff);
		ptrace(PTRACE_POKETEXT, pid, entry[i], (word & ~0xffL) | 0xcc);
	}
}

/* 'i' for oci-run init, 'c' for another oci-run command, 0 for anything else.
 * Init runs from a detached overlay, so only the file names are compared. */
static char role_of(pid_t pid, const char *binary)
{
	char path[64], text[4096];
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	ssize_t n = readlink(path, text, sizeof(text) - 1);
	if (n < 0)
		return 0;
	text[n] = '\0';
	const char *want = strrchr(binary, '/') ? strrchr(binary, '/') + 1 : binary;
	const char *have = strrchr(text, '/') ? strrchr(text, '/') + 1 : text;
	if (strcmp(want, have) != 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 'c';
	size_t len = fread(text, 1, sizeof(text), f);
	fclose(f);
	for (size_t i = 0; i + 5 <= len; i++)
		if (text[i] == '\0' && memcmp(text + i + 1, "init", 4) == 0)
			return 'i';
	return 'c';
}

int main(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: covtrace FUNCTIONS OUT BINARY -- command args...\n");
		return 2;
	}
	FILE *list = fopen(argv[1], "r"), *out = fopen(argv[2], "a");
	if (list == NULL || out == NULL) {
		perror("covtrace");
		return 1;
	}
	int capacity = 1 << 16;
	entry = malloc(sizeof(*entry) * capacity);
	entry_name = malloc(sizeof(*entry_name) * capacity);
	char line[8192];
	while (fgets(line, sizeof(line), list)) {
		char *space = strchr(line, ' ');
		if (space == NULL)
			continue;
		*space = '\0';
		space[1 + strcspn(space + 1, "\n")] = '\0';
		if (entries == capacity) {
			capacity *= 2;
			entry = realloc(entry, sizeof(*entry) * capacity);
			entry_name = realloc(entry_name, sizeof(*entry_name) * capacity);
		}
		entry[entries] = strtoul(line, NULL, 16);
		entry_name[entries++] = strdup(space + 1);
	}
	original = calloc(entries, 1);
	role = calloc(MAX_PID, 1);

	pid_t child = fork();
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execvp(argv[5], argv + 5);
		_exit(127);
	}
	int status;
	waitpid(child, &status, 0);
	ptrace(PTRACE_SETOPTIONS, child, 0,
	       PTRACE_O_TRACECLONE | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXEC);
	ptrace(PTRACE_CONT, child, 0, 0);

	pid_t pid;
	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		if (WIFEXITED(status) || WIFSIGNALED(status))
			continue;
		int signal = WSTOPSIG(status), event = status >> 16, deliver = 0;
		if (event == PTRACE_EVENT_EXEC) {
			role[pid % MAX_PID] = role_of(pid, argv[3]);
			if (role[pid % MAX_PID] == 0) {
				ptrace(PTRACE_DETACH, pid, 0, 0);
				continue;
			}
			set_breakpoints(pid);
		} else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK || event == PTRACE_EVENT_CLONE) {
			unsigned long born;
			ptrace(PTRACE_GETEVENTMSG, pid, 0, &born);
			role[born % MAX_PID] = role[pid % MAX_PID];
		} else if (signal == SIGTRAP && event == 0) {
			struct user_regs_struct regs;
			ptrace(PTRACE_GETREGS, pid, 0, &regs);
			int i = find(regs.rip - 1);
			if (i >= 0) {
				long word = ptrace(PTRACE_PEEKTEXT, pid, entry[i], 0);
				if ((word & 0xff) == 0xcc)
					ptrace(PTRACE_POKETEXT, pid, entry[i], (word & ~0xffL) | original[i]);
				regs.rip--;
				ptrace(PTRACE_SETREGS, pid, 0, &regs);
				fprintf(out, "%c %s\n", role[pid % MAX_PID] ? role[pid % MAX_PID] : 'c', entry_name[i]);
				fflush(out);
			} else {
				deliver = signal;
			}
		} else if (signal != SIGSTOP) {
			deliver = signal;
		}
		ptrace(PTRACE_CONT, pid, 0, deliver);
	}
	return 0;
}
