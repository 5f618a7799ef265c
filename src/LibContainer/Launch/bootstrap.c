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
 *      cgroup, not the container's). A user namespace is joined or made
 *      first and alone (the parent writes a new one's maps), after the
 *      cgroups of step 3, and the process becomes root in it;
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
#include <grp.h>
#include <sys/ioctl.h>
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
	int has_id_maps; /* the frame brought both map texts (the parent writes them) */
	char time_offsets[OCIRUN_MAX_TIME_OFFSETS + 1]; /* "" or the text for timens_offsets */
};

/* A path from the payload with its NUL (the parser checked its length). */
static void copy_path(struct ocirun_bytes bytes, char path[OCIRUN_MAX_PATH])
{
	memcpy(path, bytes.data, bytes.length);
	path[bytes.length] = '\0';
}

static const char *ns_name(uint32_t type)
{
	switch (type) {
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWNS: return "mount";
	case CLONE_NEWNET: return "network";
	case CLONE_NEWPID: return "pid";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWCGROUP: return "cgroup";
	case 0x80: return "time";
	default: return "unknown";
	}
}

/* A namespace file of another type would fail setns with a bare EINVAL:
 * say which type it is instead (NS_GET_NSTYPE, Linux 4.11). */
static void check_ns_type(int fd, uint32_t type, const char *path)
{
	const unsigned long NS_GET_NSTYPE = 0xb703; /* _IO(0xb7, 0x3) */
	int actual = ioctl(fd, NS_GET_NSTYPE);
	if (actual < 0 && errno == ENOTTY) {
		errno = 0;
		die("%s namespace path %s is not a namespace file", ns_name(type), path);
	}
	if (actual >= 0 && (uint32_t)actual != type) {
		errno = 0;
		die("%s namespace path %s: not a %s namespace (it is of type %s)", ns_name(type), path, ns_name(type), ns_name((uint32_t)actual));
	}
}

/* Acts on a parsed frame: namespace paths are opened (and joined later, by
 * join_namespaces), cgroup v1 hierarchies joined, the cgroup v2 directory
 * opened for fork_init; the clone flags are noted in b. */
static void act_on_frame(const struct ocirun_frame *f, struct bootstrap *b)
{
	char path[OCIRUN_MAX_PATH];
	if (f->has_clone_flags)
		b->clone_flags = f->clone_flags;
	if (f->uid_map.length != 0 && f->gid_map.length != 0)
		b->has_id_maps = 1;
	if (f->time_offsets.length != 0) {
		memcpy(b->time_offsets, f->time_offsets.data, f->time_offsets.length);
		b->time_offsets[f->time_offsets.length] = '\0';
	}
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
		check_ns_type(fd, f->ns_types[i], path);
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

enum join_phase { JOIN_USER, JOIN_OTHERS, JOIN_MOUNT, JOIN_CGROUP };

/* Joins the namespaces opened from NS_PATH attributes of one phase, in the
 * order given: the user namespace first (it owns the others, and joining it
 * gives the capabilities to join them), the mount namespace last (after it
 * no host path resolves), everything else between; the cgroup namespace by
 * the forked child (see run_bootstrap). */
static void join_namespaces(struct bootstrap *b, enum join_phase phase)
{
	for (int i = 0; i < b->join_count; i++) {
		uint32_t type = b->join_types[i];
		enum join_phase of = type == CLONE_NEWUSER ? JOIN_USER : type == CLONE_NEWNS ? JOIN_MOUNT
			: type == CLONE_NEWCGROUP ? JOIN_CGROUP : JOIN_OTHERS;
		if (of != phase)
			continue;
		if (setns(b->join_fds[i], (int)type) < 0)
			die("join the %s namespace", ns_name(type));
		close(b->join_fds[i]);
	}
}

static int joins(const struct bootstrap *b, uint32_t type)
{
	for (int i = 0; i < b->join_count; i++)
		if (b->join_types[i] == type)
			return 1;
	return 0;
}

/* A new time namespace's clock offsets: they apply to the children, and the
 * kernel takes them only until a process is in the namespace, so before the
 * fork of init. */
static void write_time_offsets(const char *text)
{
	int fd = open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC);
	size_t length = strlen(text);
	if (fd < 0 || write(fd, text, length) != (ssize_t)length)
		die("write the time namespace's offsets (linux.timeOffsets)");
	close(fd);
}

/* A new user namespace, unshared alone: its maps are written by the parent,
 * which has the privileges to write them (this process has none left in the
 * host's user namespace). */
static void unshare_user_namespace(void)
{
	if (unshare(CLONE_NEWUSER) < 0)
		die("unshare the user namespace");
	send_frame(OCIRUN_FRAME_USERMAP_REQUEST, NULL, 0);
	struct ocirun_frame_header h;
	if (read_all(sync_fd, &h, sizeof(h)) < 0)
		die("read the answer to the user map request");
	if (h.type != OCIRUN_FRAME_USERMAP_DONE || h.length != 0) {
		errno = 0;
		die("unexpected frame %u instead of the user maps done", h.type);
	}
}

/* Root in the user namespace, as runc: uid and gid 0, no supplementary
 * groups (the host's are unmapped there). Where setgroups is denied (a
 * namespace made by an unprivileged user), the groups stay as they are. */
static void become_root(void)
{
	if (setresgid(0, 0, 0) < 0)
		die("become gid 0 in the user namespace (is container gid 0 mapped?)");
	if (setgroups(0, NULL) < 0 && errno != EPERM)
		die("clear the supplementary groups in the user namespace");
	if (setresuid(0, 0, 0) < 0)
		die("become uid 0 in the user namespace (is container uid 0 mapped?)");
}

/* Host cgroup files are not writable from inside a user namespace: with
 * one, the cgroups are joined first, and init is not cloned into the v2
 * directory (that also checks the caller's rights on it), this process moves
 * there instead, and init is born in it. */
static void join_cgroups_before_user_namespace(struct bootstrap *b)
{
	read_frame(OCIRUN_FRAME_CGROUPS, "the cgroup message", b);
	if (b->cgroup_v2_fd < 0)
		return;
	int procs = openat(b->cgroup_v2_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (procs < 0 || write(procs, "0", 1) != 1)
		die("join the cgroup v2 directory");
	close(procs);
	close(b->cgroup_v2_fd);
	b->cgroup_v2_fd = -1;
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
	int new_user = (b.clone_flags & CLONE_NEWUSER) != 0;
	int in_user = new_user || joins(&b, CLONE_NEWUSER);
	if (new_user && !b.has_id_maps) {
		errno = 0;
		die("a new user namespace needs a uid map and a gid map");
	}
	if (in_user)
		join_cgroups_before_user_namespace(&b);
	/* The user namespace comes first and alone: it owns every namespace made
	 * or joined after it. */
	join_namespaces(&b, JOIN_USER);
	if (new_user)
		unshare_user_namespace();
	if (in_user)
		become_root();
	join_namespaces(&b, JOIN_OTHERS);
	/* The mount namespace waits for the cgroup paths; the cgroup namespace is
	 * made or joined by the child, once it is in every cgroup of the
	 * container: the namespace is rooted where its maker is, and the kernel
	 * refuses to move a process into a cgroup outside its cgroup namespace
	 * (an exec's CLONE_INTO_CGROUP). */
	uint32_t flags = b.clone_flags & ~(uint32_t)(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWCGROUP);
	if (flags != 0 && unshare((int)flags) < 0)
		die("unshare namespaces 0x%x", flags);
	if (b.time_offsets[0] != '\0')
		write_time_offsets(b.time_offsets);

	if (!in_user)
		read_frame(OCIRUN_FRAME_CGROUPS, "the cgroup message", &b);
	join_namespaces(&b, JOIN_MOUNT);
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
	join_namespaces(&b, JOIN_CGROUP);
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

