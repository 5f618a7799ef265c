/*
 * The test side of the C stage: built with src/LibContainer/Launch/frame.c
 * into libocirun_launch_probe.so (LibContainer.Tests.csproj), which the tests
 * call. It says, as text, what protocol.h defines and what the frame parser
 * makes of a payload, so the tests compare C's view with C#'s.
 */
#include "frame.h"
#include "protocol.h"

#include <stdarg.h>
#include <stdio.h>

struct text {
	char *data;
	int size, length;
};

static void __attribute__((format(printf, 2, 3))) put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int room = t->length < t->size ? t->size - t->length : 0;
	int n = vsnprintf(t->data + t->length, (size_t)room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->length += n;
}

/* Ends the text: its length, or -1 when it did not fit in size bytes. */
static int end(const struct text *t)
{
	return t->length < t->size ? t->length : -1;
}

/* One line per number and name: "FRAME NAME NUMBER", "ATTR NAME NUMBER", "ENV NAME VALUE". */
int ocirun_probe_protocol(char *out, int size)
{
	struct text t = { out, size, 0 };
#define PUT_FRAME(name, number) put(&t, "FRAME %s %u\n", #name, (unsigned)(number));
	OCIRUN_FRAME_TYPES(PUT_FRAME)
#undef PUT_FRAME
#define PUT_ATTR(name, number) put(&t, "ATTR %s %u\n", #name, (unsigned)(number));
	OCIRUN_ATTR_TYPES(PUT_ATTR)
#undef PUT_ATTR
	put(&t, "ENV BOOTSTRAP %s\n", OCIRUN_BOOTSTRAP_ENV);
	put(&t, "ENV SEALED %s\n", OCIRUN_SEALED_ENV);
	return end(&t);
}

/* A map text on one line: its newlines as ';'. */
static void put_map(struct text *t, const char *name, struct ocirun_bytes map)
{
	put(t, "%s ", name);
	for (uint32_t i = 0; i < map.length; i++)
		put(t, "%c", map.data[i] == '\n' ? ';' : map.data[i]);
	put(t, "\n");
}

/* What ocirun_parse_frame found, one line each: "clone_flags 0x...", "ns 0x... PATH",
 * "tasks PATH", "v2 PATH", "uid_map TEXT", "gid_map TEXT", "time_offsets TEXT" (newlines as ';'); or "error MESSAGE". */
int ocirun_probe_parse(const char *payload, unsigned length, char *out, int size)
{
	struct text t = { out, size, 0 };
	struct ocirun_frame f;
	if (ocirun_parse_frame(payload, length, &f) < 0) {
		put(&t, "error %s\n", f.error);
		return end(&t);
	}
	if (f.has_clone_flags)
		put(&t, "clone_flags 0x%x\n", f.clone_flags);
	for (int i = 0; i < f.ns_count; i++)
		put(&t, "ns 0x%x %.*s\n", f.ns_types[i], (int)f.ns_paths[i].length, f.ns_paths[i].data);
	for (int i = 0; i < f.cgroup_tasks_count; i++)
		put(&t, "tasks %.*s\n", (int)f.cgroup_tasks[i].length, f.cgroup_tasks[i].data);
	if (f.cgroup_v2_dir.length != 0)
		put(&t, "v2 %.*s\n", (int)f.cgroup_v2_dir.length, f.cgroup_v2_dir.data);
	if (f.uid_map.length != 0)
		put_map(&t, "uid_map", f.uid_map);
	if (f.gid_map.length != 0)
		put_map(&t, "gid_map", f.gid_map);
	if (f.time_offsets.length != 0)
		put_map(&t, "time_offsets", f.time_offsets);
	return end(&t);
}
