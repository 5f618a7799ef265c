/*
 * oci-run's one native stage. It is linked into the native-AOT binary and runs
 * as an ELF constructor, before the .NET runtime starts and while the process
 * has exactly one thread: the only moment setns/unshare of every namespace
 * kind is allowed. It does nothing unless the process is the init of a
 * container or of an exec into one, which the parent marks with
 * OCIRUN_BOOTSTRAP_ENV. For an exec every namespace is joined by path and
 * none created; the rest is the same.
 *
 * Steps on the bootstrap path:
 *   1. re-execute from a copy of the binary nothing can write to (CVE-2019-5736);
 *   2. read the bootstrap frame from the sync socket; join the namespaces it
 *      names by path and create the requested ones, but the mount and cgroup
 *      namespaces (the parent makes the cgroup meanwhile: a network namespace
 *      alone takes ~0.4 ms; its kernel memory is charged to the caller's
 *      cgroup, not the container's);
 *   3. read the cgroup frame; join the container's cgroup v1 hierarchies
 *      (their paths resolve in the host's mount namespace), then join or
 *      create the mount namespace;
 *   4. fork straight into the container's cgroup v2 directory, if any, so the
 *      child is inside the new PID namespace and every cgroup, and a child of
 *      `create` that dies with it until it is ready; the parent
 *      reports the child's PID and exits; the child makes its cgroup namespace
 *      (rooted at the container's cgroups) and returns into main(), and .NET
 *      starts.
 *
 * The frame format is documented in protocol.h and written by
 * BootstrapMessage.cs and CgroupMessage.cs; frame.c parses a frame and this
 * file acts on it. Everything else (mounts, cgroups, capabilities, the exec)
 * is C#. The rest of the C stage is helpers that must not be written in
 * managed code: the sealed binary (sealed.c), spawning a child with a clean
 * signal state (spawn.c) and the final execve (exec.c).
 */
#define _GNU_SOURCE
#include "exports.h"
#include "frame.h"
#include "protocol.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/sched.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

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

/* A safety net: the parent spawns init from the sealed binary and says so
 * with OCIRUN_SEALED_ENV; anything else re-executes from a sealed copy. */
static void reexec_sealed(char **argv, char **envp)
{
	if (getenv(OCIRUN_SEALED_ENV) != NULL)
		return;
	int fd = ocirun_sealed_exe();
	if (fd < 0)
		die("make a sealed copy of the binary");
	size_t count = 0;
	while (envp[count] != NULL)
		count++;
	char **env = calloc(count + 2, sizeof(char *));
	if (env == NULL)
		die("allocate the environment");
	memcpy(env, envp, count * sizeof(char *));
	env[count] = OCIRUN_SEALED_ENV "=1";
	fexecve(fd, argv, env);
	die("execute the sealed binary");
}

struct bootstrap {
	uint32_t clone_flags;
	int join_fds[OCIRUN_MAX_NS_PATHS];
	uint32_t join_types[OCIRUN_MAX_NS_PATHS];
	int join_count;
	int cgroup_v2_fd;
};

/* A path from the payload with its NUL (the parser checked its length). */
static void copy_path(struct ocirun_bytes bytes, char path[OCIRUN_MAX_PATH])
{
	memcpy(path, bytes.data, bytes.length);
	path[bytes.length] = '\0';
}

/* Acts on a parsed frame: namespace paths are opened (and joined later, by
 * join_namespaces), cgroup v1 hierarchies joined, the cgroup v2 directory
 * opened for fork_init; the clone flags are noted in b. */
static void act_on_frame(const struct ocirun_frame *f, struct bootstrap *b)
{
	char path[OCIRUN_MAX_PATH];
	if (f->has_clone_flags)
		b->clone_flags = f->clone_flags;
	if (b->join_count + f->ns_count > OCIRUN_MAX_NS_PATHS) {
		errno = 0;
		die("too many namespace paths");
	}
	/* Every path is opened before any namespace is joined: a later path must
	 * be resolved in the caller's mount namespace. */
	for (int i = 0; i < f->ns_count; i++) {
		copy_path(f->ns_paths[i], path);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open namespace path %s", path);
		b->join_types[b->join_count] = f->ns_types[i];
		b->join_fds[b->join_count++] = fd;
	}
	for (int i = 0; i < f->cgroup_tasks_count; i++) {
		copy_path(f->cgroup_tasks[i], path);
		/* Joined at once: the cgroup must hold us before anything else happens. */
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			die("join cgroup %s", path);
		close(fd);
	}
	if (f->cgroup_v2_dir.length != 0) {
		if (b->cgroup_v2_fd >= 0) {
			errno = 0;
			die("malformed cgroup v2 attribute");
		}
		copy_path(f->cgroup_v2_dir, path);
		b->cgroup_v2_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (b->cgroup_v2_fd < 0)
			die("open cgroup %s", path);
	}
}

/* Reads one frame of the given type, parses it and acts on it. */
static void read_frame(uint32_t type, const char *what, struct bootstrap *b)
{
	struct ocirun_frame_header h;
	if (read_all(sync_fd, &h, sizeof(h)) < 0)
		die("read %s", what);
	if (h.type != type || h.length > OCIRUN_MAX_BOOTSTRAP) {
		errno = 0;
		die("unexpected frame %u instead of %s", h.type, what);
	}
	char *buf = malloc(h.length ? h.length : 1);
	if (buf == NULL || read_all(sync_fd, buf, h.length) < 0)
		die("read %s", what);
	struct ocirun_frame frame;
	if (ocirun_parse_frame(buf, h.length, &frame) < 0) {
		errno = 0;
		die("%s", frame.error);
	}
	act_on_frame(&frame, b);
	free(buf);
}

/* Joins the namespaces opened from NS_PATH attributes of the given types
 * (CLONE_NEW* flags), in the order they came. */
static void join_namespaces(struct bootstrap *b, uint32_t types)
{
	for (int i = 0; i < b->join_count; i++) {
		if ((b->join_types[i] & types) == 0)
			continue;
		if (setns(b->join_fds[i], (int)b->join_types[i]) < 0)
			die("join namespace of type 0x%x", b->join_types[i]);
		close(b->join_fds[i]);
	}
}

/* fork(), but the child is a sibling of this process (CLONE_PARENT): a
 * child of `create`, so it can die with it (PR_SET_PDEATHSIG), and born in
 * the cgroup v2 directory cgroup_fd (-1: none). glibc has no fork that takes
 * these flags, so this is clone3 doing what glibc's fork does for a
 * single-threaded process: the kernel writes the child's TID where glibc
 * keeps it (PR_GET_TID_ADDRESS says where), and the child registers glibc's
 * robust mutex list again. Without PR_GET_TID_ADDRESS (no
 * CONFIG_CHECKPOINT_RESTORE) it is a plain fork: the child moves itself
 * through cgroup.procs and is this process's child; *sibling says which. */
static pid_t fork_init(int cgroup_fd, int *sibling)
{
	int *tid = NULL;
	void *robust = NULL;
	size_t robust_len = 0;
	*sibling = 0;
	if (prctl(PR_GET_TID_ADDRESS, &tid, 0, 0, 0) < 0 || tid == NULL ||
	    syscall(SYS_get_robust_list, 0, &robust, &robust_len) < 0) {
		pid_t child = fork();
		if (child == 0 && cgroup_fd >= 0) {
			int procs = openat(cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
			if (procs < 0 || write(procs, "0", 1) != 1)
				die("join the cgroup v2 directory");
			close(procs);
		}
		return child;
	}
	struct clone_args args;
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_PARENT | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
	if (cgroup_fd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgroup_fd;
	}
	/* With CLONE_PARENT the kernel takes the exit signal from our parent's; SIGCHLD. */
	args.exit_signal = 0;
	args.child_tid = (uint64_t)(uintptr_t)tid;
	long pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid == 0)
		syscall(SYS_set_robust_list, robust, robust_len);
	*sibling = 1;
	return (pid_t)pid;
}

/* Until init reports ready, it must not outlive `create` (an engine that
 * times out kills create): with nobody left to finish or record it, it
 * would wait for `start` forever. The death signal is armed first, then the
 * sync socket checked: if create died before, its end is closed already. */
static void die_with_create(void)
{
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die("set the parent death signal");
	struct pollfd p = { .fd = sync_fd, .events = POLLRDHUP };
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)))
		_exit(1);
}

static void run_bootstrap(char **argv, char **envp, const char *fd_text)
{
	sync_fd = atoi(fd_text);
	reexec_sealed(argv, envp);

	/* Nothing in the container may ptrace or read this process's memory
	 * while it still holds host resources; execve resets it. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	struct bootstrap b;
	memset(&b, 0, sizeof(b));
	b.cgroup_v2_fd = -1;
	read_frame(OCIRUN_FRAME_BOOTSTRAP, "the bootstrap message", &b);
	join_namespaces(&b, ~(uint32_t)(CLONE_NEWNS | CLONE_NEWCGROUP));
	/* The mount namespace waits for the cgroup paths; the cgroup namespace is
	 * made or joined by the child, once it is in every cgroup of the
	 * container: the namespace is rooted where its maker is, and the kernel
	 * refuses to move a process into a cgroup outside its cgroup namespace
	 * (an exec's CLONE_INTO_CGROUP). */
	uint32_t flags = b.clone_flags & ~(uint32_t)(CLONE_NEWNS | CLONE_NEWCGROUP);
	if (flags != 0 && unshare((int)flags) < 0)
		die("unshare namespaces 0x%x", flags);

	read_frame(OCIRUN_FRAME_CGROUPS, "the cgroup message", &b);
	join_namespaces(&b, CLONE_NEWNS);
	if ((b.clone_flags & CLONE_NEWNS) && unshare(CLONE_NEWNS) < 0)
		die("unshare the mount namespace");

	/* A PID namespace applies to children only: fork so the child is its
	 * first process. */
	int sibling;
	pid_t child = fork_init(b.cgroup_v2_fd, &sibling);
	if (child < 0)
		die("fork the container init");
	if (child > 0) {
		uint32_t pid = (uint32_t)child;
		send_frame(OCIRUN_FRAME_CHILD_PID, &pid, sizeof(pid));
		_exit(0);
	}
	if (sibling)
		die_with_create();
	if (b.cgroup_v2_fd >= 0)
		close(b.cgroup_v2_fd);
	join_namespaces(&b, CLONE_NEWCGROUP);
	if ((b.clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
		die("unshare the cgroup namespace");
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

