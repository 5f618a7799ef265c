/*
 * The sealed binary: init is executed from a copy of oci-run that nothing can
 * write to, so nothing inside the container can reach the host's oci-run
 * through /proc/PID/exe (CVE-2019-5736). Called by create before it spawns
 * init, and by bootstrap.c as a safety net.
 */
#define _GNU_SOURCE
#include "exports.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/mount.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

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

