/* A seccomp agent for SeccompTests: listens on a unix socket, takes one runtime's message
 * (runtime-spec ContainerProcessState JSON, the listener attached with SCM_RIGHTS), writes the
 * JSON to MESSAGE_FILE, then answers every notified syscall with -ERRNO and prints "nr N" for
 * it, until the listener has no process left.
 *   seccomp-agent SOCKET MESSAGE_FILE ERRNO */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 4) return 2;
	int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un address = { .sun_family = AF_UNIX };
	strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
	unlink(argv[1]);
	if (bind(server, (struct sockaddr *)&address, sizeof address) < 0 || listen(server, 1) < 0) { perror("listen"); return 1; }
	printf("listening\n");
	fflush(stdout);
	int connection = accept4(server, NULL, NULL, SOCK_CLOEXEC);
	if (connection < 0) { perror("accept"); return 1; }

	static char message[65536];
	union { struct cmsghdr header; char space[CMSG_SPACE(sizeof(int))]; } control;
	struct iovec iov = { .iov_base = message, .iov_len = sizeof message - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &control, .msg_controllen = sizeof control };
	ssize_t n = recvmsg(connection, &msg, MSG_CMSG_CLOEXEC);
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	if (n <= 0 || !cmsg || cmsg->cmsg_type != SCM_RIGHTS) { fprintf(stderr, "no listener in the message\n"); return 1; }
	int listener;
	memcpy(&listener, CMSG_DATA(cmsg), sizeof listener);
	FILE *out = fopen(argv[2], "w");
	fwrite(message, 1, n, out);
	fclose(out);
	close(connection);

	int answer = atoi(argv[3]);
	for (;;) {
		struct pollfd ready = { .fd = listener, .events = POLLIN };
		if (poll(&ready, 1, -1) < 0) {
			if (errno == EINTR) continue;
			break;
		}
		if (!(ready.revents & POLLIN)) break; /* POLLHUP: no process is left under the filter */
		struct seccomp_notif request;
		memset(&request, 0, sizeof request);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &request) < 0) {
			if (errno == EINTR) continue;
			if (errno == ENOENT) continue; /* the process went away before the answer */
			break;
		}
		struct seccomp_notif_resp response = { .id = request.id, .error = -answer };
		printf("nr %d\n", request.data.nr);
		fflush(stdout);
		ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &response);
	}
	return 0;
}
