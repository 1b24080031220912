// Small C shims for syscalls and macros that Glibc's Swift overlay hides.
#pragma once
#include <sys/types.h>

/// pipe2(2) with O_CLOEXEC (and O_NONBLOCK when nonblocking != 0).
int cwb_pipe_cloexec(int fds[2], int nonblocking);

/// Decoded wait(2) status: exactly one of exited/signaled is set.
int cwb_wifexited(int status);
int cwb_wexitstatus(int status);
int cwb_wifsignaled(int status);
int cwb_wtermsig(int status);

/// posix_spawn of `path` (searched in PATH when search != 0) with `argv`/`envp`,
/// in directory `dir` (NULL: inherit), in a new process group, with
/// stdin from /dev/null and stdout/stderr to the given fds (-1: inherit).
/// Returns 0 and sets *pid, or an errno value.
int cwb_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
              const char *dir, int stdout_fd, int stderr_fd, int search);

/// cwb_spawn (no PATH search) that also closes every descriptor >= 3 in the child
/// (posix_spawn_file_actions_addclosefrom_np), so the child gets only stdin/stdout/stderr even
/// when some code in this process opened a descriptor without O_CLOEXEC. stdin is `stdin_fd`
/// (-1: /dev/null).
int cwb_spawn_only_stdio(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                         const char *dir, int stdin_fd, int stdout_fd, int stderr_fd);

/// Where the signal handler installed by cwb_signal_forward writes: one byte, the signal
/// number, per delivery (the write end of a non-blocking pipe; -1: drop signals).
void cwb_signal_set_pipe(int write_fd);

/// Installs the forwarding handler for `sig` (SA_RESTART), remembering the previous action
/// the first time. Not thread-safe: callers serialize. Returns 0, or -1 and errno.
int cwb_signal_forward(int sig);

/// Puts back the action `sig` had before cwb_signal_forward. Returns 0, or -1 and errno.
int cwb_signal_restore(int sig);
