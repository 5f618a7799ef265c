/*
 * oci-run's one native stage. It is linked into the native-AOT binary and runs
 * as an ELF constructor, before the .NET runtime starts and while the process
 * has exactly one thread: the only moment setns/unshare of every namespace
 * kind is allowed. It does nothing unless the process is the init (or, later,
 * exec) bootstrap, which the parent marks with OCIRUN_BOOTSTRAP_ENV.
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
#include <poll.h>
#include <pthread.h>
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
#include <linux/mount.h>
#include <linux/sched.h>

#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif

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

/* A read-only, detached overlayfs holding the binary's directory: the file
 * executed from it cannot be opened for writing by anyone (EROFS, and an
 * overlay without an upper layer can never become writable), and the mount
 * is reachable from nowhere. Costs a few tens of microseconds, where copying
 * the binary costs milliseconds and megabytes. Returns an fd of the binary
 * inside it, or -1 where overlayfs or the new mount API is missing. */
static int overlay_exe_fd(void)
{
	char exe[4096], lower[64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (slash == NULL || strstr(exe, " (deleted)") != NULL)
		return -1;
	*slash = '\0';
	const char *dir = exe[0] ? exe : "/", *name = slash + 1;

	int fd = -1, empty_ctx = -1, empty = -1, ctx = -1, mnt = -1;
	/* overlayfs wants two lower layers when it has no upper one: the second is an empty tmpfs. */
	empty_ctx = (int)syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
	if (empty_ctx < 0 || syscall(SYS_fsconfig, empty_ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	empty = (int)syscall(SYS_fsmount, empty_ctx, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
	if (empty < 0)
		goto out;
	snprintf(lower, sizeof(lower), "/proc/self/fd/%d", empty);
	ctx = (int)syscall(SYS_fsopen, "overlay", FSOPEN_CLOEXEC);
	if (ctx < 0 ||
	    syscall(SYS_fsconfig, ctx, FSCONFIG_SET_STRING, "lowerdir+", dir, 0) < 0 ||
	    syscall(SYS_fsconfig, ctx, FSCONFIG_SET_STRING, "lowerdir+", lower, 0) < 0 ||
	    syscall(SYS_fsconfig, ctx, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	mnt = (int)syscall(SYS_fsmount, ctx, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOSUID);
	if (mnt >= 0)
		fd = openat(mnt, name, O_RDONLY | O_CLOEXEC);
out:
	if (mnt >= 0) close(mnt);
	if (ctx >= 0) close(ctx);
	if (empty >= 0) close(empty);
	if (empty_ctx >= 0) close(empty_ctx);
	return fd;
}

/* The fallback: an anonymous copy of the binary in a sealed memfd. Returns
 * the fd or -1 with errno set. */
static int memfd_exe_fd(void)
{
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (src < 0)
		return -1;
	struct stat st;
	int mfd = -1;
	if (fstat(src, &st) < 0)
		goto fail;
	mfd = memfd_create("oci-run", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("oci-run", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		goto fail;
	for (off_t left = st.st_size; left > 0;) {
		ssize_t n = sendfile(mfd, src, NULL, (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		left -= n;
	}
	if (fcntl(mfd, F_ADD_SEALS, SEALS | F_SEAL_EXEC) < 0 && fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		goto fail;
	close(src);
	return mfd;
fail:
	if (mfd >= 0)
		close(mfd);
	close(src);
	return -1;
}

/* An fd of this binary that nothing can write to, to execute the init from,
 * so nothing inside the container can reach the host's oci-run through
 * /proc/PID/exe (CVE-2019-5736). Called by the parent before it spawns init;
 * returns -1 with errno set on failure. */
int ocirun_sealed_exe(void)
{
	int fd = overlay_exe_fd();
	return fd >= 0 ? fd : memfd_exe_fd();
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

/* Acts on each attribute of a frame's payload: namespace paths are opened,
 * cgroup v1 hierarchies joined, the rest noted in b. */
static void parse_attributes(const char *buf, uint32_t len, struct bootstrap *b)
{
	uint32_t off = 0;
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
		case OCIRUN_ATTR_CGROUP_TASKS: {
			char path[4096];
			if (a.length == 0 || a.length >= sizeof(path))
				die("malformed cgroup attribute");
			memcpy(path, p, a.length);
			path[a.length] = '\0';
			/* Joined at once: the cgroup must hold us before anything else happens. */
			int fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, "0", 1) != 1)
				die("join cgroup %s", path);
			close(fd);
			break;
		}
		case OCIRUN_ATTR_CGROUP_V2_DIR: {
			char path[4096];
			if (a.length == 0 || a.length >= sizeof(path) || b->cgroup_v2_fd >= 0)
				die("malformed cgroup v2 attribute");
			memcpy(path, p, a.length);
			path[a.length] = '\0';
			b->cgroup_v2_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (b->cgroup_v2_fd < 0)
				die("open cgroup %s", path);
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

/* Reads one frame of the given type and acts on its attributes. */
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
	parse_attributes(buf, h.length, b);
	free(buf);
}

/* Joins the namespaces opened from NS_PATH attributes: the mount namespace
 * alone (mount = 1), or all the others (mount = 0). */
static void join_namespaces(struct bootstrap *b, int mount)
{
	for (int i = 0; i < b->join_count; i++) {
		if ((b->join_types[i] == CLONE_NEWNS) != mount)
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
	join_namespaces(&b, 0);
	/* The mount namespace waits for the cgroup paths; the cgroup namespace is
	 * made by the child, once it is in every cgroup of the container: the
	 * namespace is rooted where its maker is. */
	uint32_t flags = b.clone_flags & ~(uint32_t)(CLONE_NEWNS | CLONE_NEWCGROUP);
	if (flags != 0 && unshare((int)flags) < 0)
		die("unshare namespaces 0x%x", flags);

	read_frame(OCIRUN_FRAME_CGROUPS, "the cgroup message", &b);
	join_namespaces(&b, 1);
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
