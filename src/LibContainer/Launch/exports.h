/* The C stage's functions that C# calls (Interop/LibC.cs declares them again). */
#ifndef OCIRUN_EXPORTS_H
#define OCIRUN_EXPORTS_H

/* sealed.c */
int ocirun_sealed_exe(void);
/* spawn.c */
int ocirun_spawn(int exe_fd, char *const argv[], char *const envp[],
		 const int *keep_fds, int keep_count, int *pid_out);
/* exec.c */
int ocirun_exec(const char *path, char *const argv[], char *const envp[]);

#endif
