/*
 * oci-run's one native stage. It is linked into the native-AOT binary and runs
 * as an ELF constructor, before the .NET runtime starts and while the process
 * has exactly one thread: the only moment setns/unshare of every namespace
 * kind is allowed. It does nothing unless the process is the init (or, later,
 * exec) bootstrap, which the parent marks with OCIRUN_BOOTSTRAP_ENV.
 *
 * Steps on the bootstrap path:
 *   1. re-execute from a sealed memfd copy of the binary (CVE-2019-5736);
 *   2. read the bootstrap frame from the sync socket;
 *   3. join the namespaces named by path, create the requested ones;
 *   4. fork, so the child is inside a new PID namespace; the parent reports the
 *      child's PID and exits; the child returns into main() and .NET starts.
 *
 * The frame format is documented in bootstrap.h and mirrored by
 * Interop/BootstrapMessage.cs. Everything else (mounts, cgroups, capabilities,
 * the exec) is C#. This file also holds two helpers that must not be written in
 * managed code: spawning a child with a clean signal state, and the final
 * execve with signal dispositions reset.
 */
#define _GNU_SOURCE
#include "bootstrap.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

static int sync_fd = -1;

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void send_frame(uint32_t type, const void *payload, uint32_t len)
{
	struct ocirun_frame_header h = { .type = type, .length = len };
	if (write_all(sync_fd, &h, sizeof(h)) == 0 && len > 0)
		write_all(sync_fd, payload, len);
}

/* Report an error to the parent and stop. The parent turns it into the
 * message the user sees, so say what failed and why. */
static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	char msg[1024];
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg) - 128, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (saved != 0)
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(saved));
	if (sync_fd >= 0)
		send_frame(OCIRUN_FRAME_ERROR, msg, (uint32_t)n);
	_exit(1);
}

static int is_sealed_self(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals >= 0 && (seals & SEALS) == SEALS;
}

/* Re-execute from a sealed, anonymous copy of the binary, so nothing inside
 * the container can reach the host's oci-run through /proc/PID/exe. */
static void reexec_sealed(char **argv, char **envp)
{
	if (is_sealed_self())
		return;
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		die("open /proc/self/exe");
	struct stat st;
	if (fstat(src, &st) < 0)
		die("stat /proc/self/exe");
	int mfd = memfd_create("oci-run", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("oci-run", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		die("memfd_create for the sealed binary");
	off_t left = st.st_size;
	while (left > 0) {
		ssize_t n = sendfile(mfd, src, NULL, (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("copy the binary into a memfd");
		left -= n;
	}
	close(src);
	if (fcntl(mfd, F_ADD_SEALS, SEALS | F_SEAL_EXEC) < 0 && fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		die("seal the binary copy");
	fexecve(mfd, argv, envp);
	die("execute the sealed binary copy");
}

struct bootstrap {
	uint32_t clone_flags;
	int join_fds[OCIRUN_MAX_NS_PATHS];
	uint32_t join_types[OCIRUN_MAX_NS_PATHS];
	int join_count;
};

static void parse_bootstrap(const char *buf, uint32_t len, struct bootstrap *b)
{
	uint32_t off = 0;
	memset(b, 0, sizeof(*b));
	while (off + sizeof(struct ocirun_attr_header) <= len) {
		struct ocirun_attr_header a;
		memcpy(&a, buf + off, sizeof(a));
		off += sizeof(a);
		if (a.length > len - off)
			die("malformed bootstrap message");
		const char *p = buf + off;
		switch (a.type) {
		case OCIRUN_ATTR_CLONE_FLAGS:
			if (a.length != 4)
				die("malformed clone flags attribute");
			memcpy(&b->clone_flags, p, 4);
			break;
		case OCIRUN_ATTR_NS_PATH: {
			char path[4096];
			uint32_t type;
			if (a.length <= 4 || a.length - 4 >= sizeof(path))
				die("malformed namespace path attribute");
			if (b->join_count >= OCIRUN_MAX_NS_PATHS)
				die("too many namespace paths");
			memcpy(&type, p, 4);
			memcpy(path, p + 4, a.length - 4);
			path[a.length - 4] = '\0';
			/* Open every path before joining any namespace: a later
			 * path must be resolved in the caller's mount namespace. */
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				die("open namespace path %s", path);
			b->join_types[b->join_count] = type;
			b->join_fds[b->join_count++] = fd;
			break;
		}
		case OCIRUN_ATTR_UID_MAP:
		case OCIRUN_ATTR_GID_MAP:
			errno = 0;
			die("user namespaces are not supported yet");
		default:
			errno = 0;
			die("unknown bootstrap attribute %u", a.type);
		}
		off += (a.length + 3u) & ~3u;
	}
}

static void join_namespaces(struct bootstrap *b)
{
	/* The mount namespace last: joining it changes how nothing else
	 * resolves, but joining it first could hide a later namespace's owner. */
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < b->join_count; i++) {
			int is_mnt = b->join_types[i] == CLONE_NEWNS;
			if (is_mnt != pass)
				continue;
			if (setns(b->join_fds[i], (int)b->join_types[i]) < 0)
				die("join namespace of type 0x%x", b->join_types[i]);
			close(b->join_fds[i]);
		}
	}
}

static void run_bootstrap(char **argv, char **envp, const char *fd_text)
{
	sync_fd = atoi(fd_text);
	reexec_sealed(argv, envp);

	/* Nothing in the container may ptrace or read this process's memory
	 * while it still holds host resources; execve resets it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	struct ocirun_frame_header h;
	if (read_all(sync_fd, &h, sizeof(h)) < 0)
		die("read the bootstrap message");
	if (h.type != OCIRUN_FRAME_BOOTSTRAP || h.length > OCIRUN_MAX_BOOTSTRAP) {
		errno = 0;
		die("unexpected frame %u instead of the bootstrap message", h.type);
	}
	char *buf = malloc(h.length ? h.length : 1);
	if (buf == NULL || read_all(sync_fd, buf, h.length) < 0)
		die("read the bootstrap message");
	struct bootstrap b;
	parse_bootstrap(buf, h.length, &b);
	free(buf);

	join_namespaces(&b);
	if (b.clone_flags != 0 && unshare((int)b.clone_flags) < 0)
		die("unshare namespaces 0x%x", b.clone_flags);

	/* A PID namespace applies to children only: fork so the child is its
	 * first process. glibc's fork keeps its own bookkeeping right, and with
	 * one thread nothing can be held locked. */
	pid_t child = fork();
	if (child < 0)
		die("fork the container init");
	if (child > 0) {
		uint32_t pid = (uint32_t)child;
		send_frame(OCIRUN_FRAME_CHILD_PID, &pid, sizeof(pid));
		_exit(0);
	}
	/* The child returns into main(): .NET starts inside the namespaces. */
}

__attribute__((constructor)) static void ocirun_bootstrap(int argc, char **argv, char **envp)
{
	(void)argc;
	const char *fd_text = getenv(OCIRUN_BOOTSTRAP_ENV);
	if (fd_text == NULL)
		return;
	run_bootstrap(argv, envp, fd_text);
}

/* Spawn a child with default signal dispositions and an empty signal mask
 * (the .NET runtime ignores SIGPIPE and blocks signals on some threads), with
 * the listed fds kept open at their numbers. Returns 0 or an errno value. */
int ocirun_spawn(const char *path, char *const argv[], char *const envp[],
		 const int *keep_fds, int keep_count, int *pid_out)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawn_file_actions_init(&fa);
	for (int i = 0; i < keep_count; i++)
		posix_spawn_file_actions_adddup2(&fa, keep_fds[i], keep_fds[i]);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigdefault(&attr, &all);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	pid_t pid = 0;
	int rc = posix_spawn(&pid, path, &fa, &attr, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc == 0)
		*pid_out = pid;
	return rc;
}

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
