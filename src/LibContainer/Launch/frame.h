/*
 * A frame's attribute list (protocol.h) parsed into flags and paths, and
 * nothing done about them yet: parsing is a pure function of the bytes (no
 * syscalls), so unit tests run it on what C# encodes; bootstrap.c then opens,
 * joins and writes what it found.
 */
#ifndef OCIRUN_FRAME_H
#define OCIRUN_FRAME_H

#include <stdint.h>

#include "protocol.h"

/* A path is shorter than PATH_MAX, with room for the NUL the acting code adds. */
#define OCIRUN_MAX_PATH 4096
/* More than the cgroup v1 hierarchies a host can mount (16 controllers and a few named ones). */
#define OCIRUN_MAX_CGROUP_TASKS 64
/* The kernel takes a uid_map or gid_map text of less than a page in one write. */
#define OCIRUN_MAX_ID_MAP 4095
/* timens_offsets takes two clocks' lines, each well under 64 bytes. */
#define OCIRUN_MAX_TIME_OFFSETS 256

/* Bytes inside the payload: not NUL-terminated. */
struct ocirun_bytes {
	const char *data;
	uint32_t length;
};

struct ocirun_frame {
	int has_clone_flags;
	uint32_t clone_flags;
	int ns_count;
	uint32_t ns_types[OCIRUN_MAX_NS_PATHS];
	struct ocirun_bytes ns_paths[OCIRUN_MAX_NS_PATHS];
	int cgroup_tasks_count;
	struct ocirun_bytes cgroup_tasks[OCIRUN_MAX_CGROUP_TASKS];
	struct ocirun_bytes cgroup_v2_dir; /* length 0: none */
	struct ocirun_bytes uid_map;       /* length 0: none; the map text of a new user namespace */
	struct ocirun_bytes gid_map;       /* length 0: none */
	struct ocirun_bytes time_offsets;  /* length 0: none; timens_offsets text of a new time namespace */
	char error[64];                    /* why the payload is malformed */
};

/* Parses a frame's payload into *out, pointing into the payload. Returns 0, or
 * -1 with out->error saying what is wrong (the message the parent reports). */
int ocirun_parse_frame(const char *payload, uint32_t length, struct ocirun_frame *out);

#endif
