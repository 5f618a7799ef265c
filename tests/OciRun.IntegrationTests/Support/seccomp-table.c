/* Reads the seccomp filter of a process (PTRACE_SECCOMP_GET_FILTER: root, CAP_SYS_ADMIN) and
 * prints what it answers for every syscall number up to 1023 on x86_64, i386 and x32, with a few
 * argument sets: "ARCH NR ARGSET ANSWER" lines, to compare the filters two runtimes load for one
 * profile (SeccompTests). The program is run by a small classic-BPF interpreter here, not the kernel.
 *   seccomp-table PID */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#endif

static uint32_t run(const struct sock_filter *prog, long len, const struct seccomp_data *data)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	for (long pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &prog[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS) {
				if (f->k + 4 > sizeof *data) exit(3);
				memcpy(&a, (const char *)data + f->k, 4);
			} else if (BPF_MODE(f->code) == BPF_IMM) a = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM) a = mem[f->k];
			else if (BPF_MODE(f->code) == BPF_LEN) a = sizeof *data;
			else exit(4);
			break;
		case BPF_LDX:
			if (BPF_MODE(f->code) == BPF_IMM) x = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM) x = mem[f->k];
			else if (BPF_MODE(f->code) == BPF_LEN) x = sizeof *data;
			else exit(4);
			break;
		case BPF_ST: mem[f->k] = a; break;
		case BPF_STX: mem[f->k] = x; break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_ADD: a += src; break;
			case BPF_SUB: a -= src; break;
			case BPF_MUL: a *= src; break;
			case BPF_OR: a |= src; break;
			case BPF_AND: a &= src; break;
			case BPF_LSH: a <<= src; break;
			case BPF_RSH: a >>= src; break;
			case BPF_NEG: a = -a; break;
			case BPF_XOR: a ^= src; break;
			default: exit(5);
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) { pc += f->k; break; }
			{
				int taken;
				switch (BPF_OP(f->code)) {
				case BPF_JEQ: taken = a == src; break;
				case BPF_JGT: taken = a > src; break;
				case BPF_JGE: taken = a >= src; break;
				case BPF_JSET: taken = (a & src) != 0; break;
				default: exit(6);
				}
				pc += taken ? f->jt : f->jf;
			}
			break;
		case BPF_RET: return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC: if (f->code == (BPF_MISC | BPF_TAX)) x = a; else a = x; break;
		}
	}
	exit(7); /* ran off the end */
}

int main(int argc, char **argv)
{
	if (argc != 2) return 2;
	pid_t pid = atoi(argv[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) { perror("ptrace"); return 1; }
	int status;
	if (waitpid(pid, &status, __WALL) < 0) { perror("waitpid"); return 1; }
	static struct sock_filter prog[BPF_MAXINSNS];
	long len = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, prog);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	if (len <= 0) { perror("PTRACE_SECCOMP_GET_FILTER"); return 1; }
	const uint32_t arches[] = { 0xC000003E, 0x40000003, 0xC000003E };
	const char *names[] = { "x86_64", "i386", "x32" };
	const uint64_t argsets[][6] = { { 0 }, { 0x10000000, 8 }, { 0xffffffff, 0x80000, 0xffffffff } };
	for (int arch = 0; arch < 3; arch++)
		for (int nr = 0; nr < 1024; nr++)
			for (int set = 0; set < 3; set++) {
				struct seccomp_data data = { .nr = nr | (arch == 2 ? 0x40000000 : 0), .arch = arches[arch] };
				memcpy(data.args, argsets[set], sizeof data.args);
				printf("%s %d %d %08x\n", names[arch], nr, set, run(prog, len, &data));
			}
	return 0;
}
