/*
 * The sync socket protocol between `oci-run create` (the parent) and
 * `oci-run init`, shared by the C stage (bootstrap.c) and the C# side
 * (SyncChannel.cs, InitHandshake.cs and the launch steps, ContainerInit.cs).
 *
 * This header is the one definition of the protocol's numbers and names. C#
 * writes them again (FrameType.cs, BootstrapAttributes.cs,
 * ContainerInit.SyncFdVariable), and LaunchNumbersTests compares every one,
 * both ways, with what this header says (through tests/LibContainer.Tests/
 * Launch/probe.c). The numbers are listed as X-macros so that test can print
 * all of them.
 *
 * The socket is a SOCK_STREAM socketpair; its init end is named by the
 * environment variable OCIRUN_BOOTSTRAP_ENV. Every message is a frame:
 *   u32 type, u32 length, then length bytes of payload (host byte order).
 *
 * The bootstrap frame (namespaces) and the cgroup frame (cgroups) carry a
 * list of attributes, each
 *   u32 type, u32 length, then length bytes, padded to 4 bytes.
 * CLONE_FLAGS: u32, the CLONE_NEW* flags of the namespaces to create.
 * NS_PATH:     u32 CLONE_NEW* type, then the path (no NUL); repeatable.
 * CGROUP_TASKS: a cgroup v1 "tasks" file (no NUL); repeatable. The C stage
 *              writes "0" to each, moving its only thread: unlike writing a
 *              PID to cgroup.procs this takes no global lock, so it does not
 *              wait for an RCU grace period (about 10 ms).
 * CGROUP_V2_DIR: the container's cgroup v2 directory (no NUL), at most once.
 *              Init is cloned straight into it (CLONE_INTO_CGROUP): writing a
 *              PID to cgroup.procs would wait for an RCU grace period.
 * TIME_OFFSETS: the text for /proc/self/timens_offsets of a new time
 *              namespace (no NUL), at most once: lines "CLOCK SECS NANOSECS".
 *              The C stage writes it right after unsharing, before any
 *              process is in the namespace (the kernel refuses it after).
 * UID_MAP, GID_MAP: the map text of a new user namespace (no NUL), at most
 *              once each, both present with CLONE_NEWUSER. The C stage
 *              unshares the user namespace first and alone, sends
 *              USERMAP_REQUEST (no payload) and waits for USERMAP_DONE (no
 *              payload): the parent writes the text to /proc/PID/uid_map and
 *              gid_map of the C stage meanwhile.
 */
#ifndef OCIRUN_PROTOCOL_H
#define OCIRUN_PROTOCOL_H

#include <stdint.h>

#define OCIRUN_BOOTSTRAP_ENV "_OCIRUN_SYNC_FD"
/* Set by whoever spawns init from the sealed binary (see ocirun_sealed_exe). */
#define OCIRUN_SEALED_ENV "_OCIRUN_SEALED"
#define OCIRUN_MAX_BOOTSTRAP (1u << 20)
#define OCIRUN_MAX_NS_PATHS 16

/* X(name, number): OCIRUN_FRAME_<name>, FrameType.<Name> in C#. */
#define OCIRUN_FRAME_TYPES(X)                                                        \
	X(BOOTSTRAP, 1)       /* parent -> C stage: CLONE_FLAGS, NS_PATH attributes */ \
	X(CHILD_PID, 2)       /* C stage -> parent: u32 pid of init */                 \
	X(USERMAP_REQUEST, 3) /* C stage -> parent: write my uid/gid maps */           \
	X(USERMAP_DONE, 4)    /* parent -> C stage: they are written */              \
	X(CGROUPS, 5)         /* parent -> C stage: CGROUP_* attributes */             \
	X(CONFIG, 10)         /* parent -> init: JSON, exec.fifo as O_PATH fd (SCM_RIGHTS) */ \
	X(READY, 11)          /* init -> parent: set up, waiting on exec.fifo */       \
	X(ERROR, 12)          /* either stage -> parent: UTF-8 message */          \
	X(HOOKS_REQUEST, 13)  /* init -> parent: run prestart, createRuntime now */ \
	X(HOOKS_DONE, 14)     /* parent -> init: they ran; go on */             \
	X(SECCOMP_LISTENER, 15) /* init -> parent: no payload, the seccomp notify fd (SCM_RIGHTS) */ \
	X(SECCOMP_DONE, 16)   /* parent -> init: the listener is at listenerPath's agent */ \
	X(CONSOLE, 17)        /* init -> parent: the pty's master (SCM_RIGHTS); payload the slave's name */ \
	X(CONSOLE_DONE, 18)   /* parent -> init: the master is at the console socket or the proxy */

/* X(name, number): OCIRUN_ATTR_<name>, BootstrapAttributes.<Name> in C#. */
#define OCIRUN_ATTR_TYPES(X)  \
	X(CLONE_FLAGS, 1)     \
	X(NS_PATH, 2)         \
	X(UID_MAP, 3)         \
	X(GID_MAP, 4)         \
	X(CGROUP_TASKS, 5)    \
	X(CGROUP_V2_DIR, 6)   \
	X(TIME_OFFSETS, 7)

#define OCIRUN_FRAME_ENUM(name, number) OCIRUN_FRAME_##name = number,
enum ocirun_frame_type { OCIRUN_FRAME_TYPES(OCIRUN_FRAME_ENUM) };
#undef OCIRUN_FRAME_ENUM

#define OCIRUN_ATTR_ENUM(name, number) OCIRUN_ATTR_##name = number,
enum ocirun_attr_type { OCIRUN_ATTR_TYPES(OCIRUN_ATTR_ENUM) };
#undef OCIRUN_ATTR_ENUM

struct ocirun_frame_header {
	uint32_t type;
	uint32_t length;
};

struct ocirun_attr_header {
	uint32_t type;
	uint32_t length;
};

#endif
