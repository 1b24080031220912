#define _GNU_SOURCE
#include "CWBuildSystem.h"
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>

int cwb_pipe_cloexec(int fds[2], int nonblocking) {
    return pipe2(fds, O_CLOEXEC | (nonblocking ? O_NONBLOCK : 0));
}

int cwb_wifexited(int status) { return WIFEXITED(status); }
int cwb_wexitstatus(int status) { return WEXITSTATUS(status); }
int cwb_wifsignaled(int status) { return WIFSIGNALED(status); }
int cwb_wtermsig(int status) { return WTERMSIG(status); }

static int spawn_in_group(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                          const char *dir, int stdin_fd, int stdout_fd, int stderr_fd, int search, int only_stdio);

int cwb_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
              const char *dir, int stdout_fd, int stderr_fd, int search) {
    return spawn_in_group(pid, path, argv, envp, dir, -1, stdout_fd, stderr_fd, search, 0);
}

int cwb_spawn_only_stdio(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                         const char *dir, int stdin_fd, int stdout_fd, int stderr_fd) {
    return spawn_in_group(pid, path, argv, envp, dir, stdin_fd, stdout_fd, stderr_fd, 0, 1);
}

static int spawn_in_group(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                          const char *dir, int stdin_fd, int stdout_fd, int stderr_fd, int search, int only_stdio) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attr);
    if (rc != 0) { posix_spawn_file_actions_destroy(&actions); return rc; }

    if (stdin_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
    else posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
    if (stderr_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stderr_fd, 2);
    if (dir != NULL) posix_spawn_file_actions_addchdir_np(&actions, dir);
    if (only_stdio) posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigset_t empty;
    sigemptyset(&empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    rc = search ? posix_spawnp(pid, path, &actions, &attr, argv, envp)
                : posix_spawn(pid, path, &actions, &attr, argv, envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

// Signal forwarding through a self-pipe. The handler only loads an atomic int and calls
// write(2), both async-signal-safe; no Swift code runs in signal context.
static atomic_int signal_pipe_fd = -1;
static struct sigaction saved_actions[NSIG];
static int saved_valid[NSIG];

static void forward_signal(int sig) {
    int saved_errno = errno;
    int fd = atomic_load(&signal_pipe_fd);
    if (fd >= 0) {
        unsigned char byte = (unsigned char)sig;
        (void)write(fd, &byte, 1);
    }
    errno = saved_errno;
}

void cwb_signal_set_pipe(int write_fd) {
    atomic_store(&signal_pipe_fd, write_fd);
}

int cwb_signal_forward(int sig) {
    if (sig <= 0 || sig >= NSIG) { errno = EINVAL; return -1; }
    struct sigaction action;
    action.sa_handler = forward_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    struct sigaction previous;
    if (sigaction(sig, &action, &previous) != 0) return -1;
    if (!saved_valid[sig]) {
        saved_actions[sig] = previous;
        saved_valid[sig] = 1;
    }
    return 0;
}

int cwb_signal_restore(int sig) {
    if (sig <= 0 || sig >= NSIG || !saved_valid[sig]) { errno = EINVAL; return -1; }
    saved_valid[sig] = 0;
    return sigaction(sig, &saved_actions[sig], NULL);
}
