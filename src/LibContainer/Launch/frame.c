/* Parsing a frame's attribute list (frame.h): no syscalls, no allocation. */
#include "frame.h"

#include <stdio.h>
#include <string.h>

static int fail(struct ocirun_frame *out, const char *message)
{
	snprintf(out->error, sizeof(out->error), "%s", message);
	return -1;
}

int ocirun_parse_frame(const char *payload, uint32_t length, struct ocirun_frame *out)
{
	memset(out, 0, sizeof(*out));
	uint32_t off = 0;
	/* Fewer bytes than a header at the end are ignored, as they always were. */
	while (off + sizeof(struct ocirun_attr_header) <= length) {
		struct ocirun_attr_header a;
		memcpy(&a, payload + off, sizeof(a));
		off += sizeof(a);
		if (a.length > length - off)
			return fail(out, "malformed bootstrap message");
		const char *p = payload + off;
		switch (a.type) {
		case OCIRUN_ATTR_CLONE_FLAGS:
			if (a.length != 4)
				return fail(out, "malformed clone flags attribute");
			memcpy(&out->clone_flags, p, 4);
			out->has_clone_flags = 1;
			break;
		case OCIRUN_ATTR_NS_PATH:
			if (a.length <= 4 || a.length - 4 >= OCIRUN_MAX_PATH)
				return fail(out, "malformed namespace path attribute");
			if (out->ns_count >= OCIRUN_MAX_NS_PATHS)
				return fail(out, "too many namespace paths");
			memcpy(&out->ns_types[out->ns_count], p, 4);
			out->ns_paths[out->ns_count++] = (struct ocirun_bytes){ p + 4, a.length - 4 };
			break;
		case OCIRUN_ATTR_CGROUP_TASKS:
			if (a.length == 0 || a.length >= OCIRUN_MAX_PATH)
				return fail(out, "malformed cgroup attribute");
			if (out->cgroup_tasks_count >= OCIRUN_MAX_CGROUP_TASKS)
				return fail(out, "too many cgroup hierarchies");
			out->cgroup_tasks[out->cgroup_tasks_count++] = (struct ocirun_bytes){ p, a.length };
			break;
		case OCIRUN_ATTR_CGROUP_V2_DIR:
			if (a.length == 0 || a.length >= OCIRUN_MAX_PATH || out->cgroup_v2_dir.length != 0)
				return fail(out, "malformed cgroup v2 attribute");
			out->cgroup_v2_dir = (struct ocirun_bytes){ p, a.length };
			break;
		case OCIRUN_ATTR_UID_MAP:
		case OCIRUN_ATTR_GID_MAP: {
			struct ocirun_bytes *map = a.type == OCIRUN_ATTR_UID_MAP ? &out->uid_map : &out->gid_map;
			if (a.length == 0 || a.length > OCIRUN_MAX_ID_MAP || map->length != 0)
				return fail(out, "malformed id map attribute");
			*map = (struct ocirun_bytes){ p, a.length };
			break;
		}
		case OCIRUN_ATTR_TIME_OFFSETS:
			if (a.length == 0 || a.length > OCIRUN_MAX_TIME_OFFSETS || out->time_offsets.length != 0)
				return fail(out, "malformed time offsets attribute");
			out->time_offsets = (struct ocirun_bytes){ p, a.length };
			break;
		default:
			snprintf(out->error, sizeof(out->error), "unknown bootstrap attribute %u", a.type);
			return -1;
		}
		off += (a.length + 3u) & ~3u;
	}
	return 0;
}
