/*
 * wbuild-init: the live-update supervisor wbuild injects into containers at /.wbuild/init.
 *
 * Runs as PID 1 in images that may have no libc, shell or tar (it is linked statically):
 *   wbuild-init [--port N] [--grace-ms N] [--token T] -- COMMAND [ARGS...]
 *     spawns COMMAND in its own process group, forwards SIGTERM/SIGINT/SIGHUP/SIGQUIT/SIGUSR1/
 *     SIGUSR2/SIGWINCH to that group, reaps every zombie, exits with the command's status when it
 *     exits on its own, and serves the control protocol on TCP port N (default 47011):
 *
 *   With --token, a connection from outside the container must first send `AUTH <T>\n` (no
 *   reply; anything else closes it), so other containers on the network cannot write files;
 *   connections from the container's own loopback (ctl mode) need none.
 *
 *   PUT <mode-octal> <size> <absolute-path>\n<size bytes>  write a file (parents created, written
 *                                                         beside the target then renamed over it)
 *   DEL <absolute-path>\n                                  remove a file or a whole directory
 *   END\n            -> "OK\n", or "ERR <first failure since the last END>\n"
 *   RESTART\n        -> stop the command (SIGTERM to its group, SIGKILL after the grace period),
 *                       start it again, "OK <pid>\n" once the new process has exec'd it
 *   PID\n            -> "OK <pid>\n"
 *   HELLO\n          -> "OK wbuild-init 1\n"
 *
 *   wbuild-init ctl [--port N] restart|pid|hello
 *     sends one command to the supervisor of this container and prints the reply (for
 *     `docker exec`, which needs no shell); exit 0 on OK.
 *
 *   wbuild-init rm PATH...
 *     removes files and whole directories (missing ones are fine): deletes for images with
 *     no shell or rm, through `docker exec`; exit 1 when one could not be removed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WBUILD_LOG_PREFIX "wbuild-init: "
#include "wbuild-log.h"

#define DEFAULT_PORT 47011
#define MAX_CLIENTS 8
#define BUFFER_SIZE (256 * 1024)
#define LINE_MAX_BYTES 8192

static const int forwarded_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

struct client {
    int fd;
    int authenticated;
    char *buffer;
    size_t length;
    /* While a PUT's body streams in: the temporary file, its final path, bytes still expected. */
    int file_fd;
    long long remaining;
    mode_t mode;
    char path[LINE_MAX_BYTES];
    char temporary[LINE_MAX_BYTES + 32];
    char error[512];
};

static struct client clients[MAX_CLIENTS];
static char **command_argv;
static pid_t child_pid = -1;
static int child_status = 0;
static int signal_fd = -1;
static int listen_fd = -1;
static int grace_ms = 3000;
static int stopping = 0;
static const char *token = NULL;
/* The last directory make_parents created or found, to skip it for the next file beside it. */
static char known_directory[LINE_MAX_BYTES];

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

static void reply(struct client *client, const char *format, ...) {
    char text[1024];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (length < 0) return;
    if ((size_t)length >= sizeof text) length = (int)sizeof text - 1;
    (void)write_all(client->fd, text, (size_t)length);
}

static void record_error(struct client *client, const char *what, const char *path, int error) {
    if (client->error[0] != '\0') return;
    snprintf(client->error, sizeof client->error, "%s %s: %s", what, path, strerror(error));
}

/* ---- the supervised command ---- */

/* Starts the command in a new process group; returns its pid, or -1 with the exec's errno set. */
static pid_t spawn_command(void) {
    int status_pipe[2];
    if (pipe2(status_pipe, O_CLOEXEC) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(status_pipe[0]);
        close(status_pipe[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        setpgid(0, 0);
        close(status_pipe[0]);
        execvp(command_argv[0], command_argv);
        int error = errno;
        (void)write_all(status_pipe[1], (const char *)&error, sizeof error);
        _exit(127);
    }
    setpgid(pid, pid);
    close(status_pipe[1]);
    int error = 0;
    ssize_t got;
    do { got = read(status_pipe[0], &error, sizeof error); } while (got < 0 && errno == EINTR);
    close(status_pipe[0]);
    if (got == (ssize_t)sizeof error) {
        int status;
        waitpid(pid, &status, 0);
        errno = error;
        return -1;
    }
    return pid;
}

/* Reaps every exited process; returns 1 when the supervised command was among them. */
static int reap_children(void) {
    int command_exited = 0;
    for (;;) {
        int status;
        pid_t pid = waitpid(-1, &status, WNOHANG);
        if (pid <= 0) break;
        if (pid == child_pid) {
            child_status = status;
            child_pid = -1;
            command_exited = 1;
        }
    }
    return command_exited;
}

static int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

/* Handles the pending signals: forwards the forwardable ones, reaps on SIGCHLD. */
static int drain_signals(void) {
    int command_exited = 0;
    struct signalfd_siginfo info;
    while (read(signal_fd, &info, sizeof info) == (ssize_t)sizeof info) {
        int number = (int)info.ssi_signo;
        if (number == SIGCHLD) {
            command_exited |= reap_children();
            continue;
        }
        if (number == SIGTERM || number == SIGINT || number == SIGQUIT) stopping = 1;
        if (child_pid > 0) kill(-child_pid, number);
    }
    command_exited |= reap_children();
    return command_exited;
}

/* Stops the command (TERM, then KILL after the grace period), then starts it again. */
static pid_t restart_command(char *error, size_t error_size) {
    if (child_pid > 0) {
        pid_t group = child_pid;
        kill(-group, SIGTERM);
        long long deadline = now_ms() + grace_ms;
        int killed = 0;
        while (child_pid > 0) {
            long long left = deadline - now_ms();
            if (left <= 0 && !killed) {
                kill(-group, SIGKILL);
                killed = 1;
                left = 1000;
            }
            struct pollfd wait_for = {.fd = signal_fd, .events = POLLIN};
            poll(&wait_for, 1, left > 0 ? (int)left : 10);
            drain_signals();
        }
        kill(-group, SIGKILL); /* whatever the command left behind in its group */
    }
    if (stopping) {
        snprintf(error, error_size, "the container is stopping");
        return -1;
    }
    pid_t pid = spawn_command();
    if (pid < 0) {
        snprintf(error, error_size, "cannot start %s: %s", command_argv[0], strerror(errno));
        return -1;
    }
    child_pid = pid;
    return pid;
}

/* ---- file operations ---- */

/* Creates every missing parent directory of `path`. */
static int make_parents(const char *path) {
    char buffer[LINE_MAX_BYTES];
    size_t length = strlen(path);
    if (length >= sizeof buffer) { errno = ENAMETOOLONG; return -1; }
    const char *slash = strrchr(path, '/');
    size_t parent_length = slash ? (size_t)(slash - path) : 0;
    if (parent_length > 0 && strlen(known_directory) == parent_length && strncmp(known_directory, path, parent_length) == 0) {
        return 0;
    }
    memcpy(buffer, path, length + 1);
    for (size_t index = 1; index < length; index++) {
        if (buffer[index] != '/') continue;
        buffer[index] = '\0';
        if (mkdir(buffer, 0755) != 0 && errno != EEXIST) return -1;
        buffer[index] = '/';
    }
    memcpy(known_directory, path, parent_length);
    known_directory[parent_length] = '\0';
    return 0;
}

static int remove_entry(const char *path, const struct stat *info, int type, struct FTW *walk) {
    (void)info; (void)walk;
    int result = (type == FTW_DP) ? rmdir(path) : unlink(path);
    return (result != 0 && errno != ENOENT) ? -1 : 0;
}

static void delete_path(struct client *client, const char *path) {
    known_directory[0] = '\0';
    struct stat info;
    if (lstat(path, &info) != 0) {
        if (errno != ENOENT) record_error(client, "stat", path, errno);
        return;
    }
    if (!S_ISDIR(info.st_mode)) {
        if (unlink(path) != 0 && errno != ENOENT) record_error(client, "unlink", path, errno);
        return;
    }
    if (nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS) != 0) record_error(client, "remove", path, errno);
}

static void finish_file(struct client *client) {
    if (client->file_fd >= 0) {
        if (fchmod(client->file_fd, client->mode) != 0) record_error(client, "chmod", client->path, errno);
        if (close(client->file_fd) != 0) record_error(client, "close", client->path, errno);
        client->file_fd = -1;
        if (rename(client->temporary, client->path) != 0) {
            record_error(client, "rename", client->path, errno);
            unlink(client->temporary);
        }
    }
    client->remaining = -1;
}

static void begin_file(struct client *client, const char *line) {
    unsigned int mode = 0;
    long long size = -1;
    int offset = 0;
    if (sscanf(line, "PUT %o %lld %n", &mode, &size, &offset) < 2 || offset == 0 || size < 0 || line[offset] != '/') {
        record_error(client, "parse", line, EINVAL);
        client->remaining = 0; /* the stream is out of step: the client sees the error at END */
        return;
    }
    snprintf(client->path, sizeof client->path, "%s", line + offset);
    snprintf(client->temporary, sizeof client->temporary, "%s.wbuild-%d", client->path, (int)getpid());
    client->mode = (mode_t)(mode & 07777);
    client->remaining = size;
    client->file_fd = -1;
    if (make_parents(client->path) != 0) {
        record_error(client, "mkdir", client->path, errno);
        return;
    }
    client->file_fd = open(client->temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (client->file_fd < 0 && errno == ENOENT) {
        /* the remembered parent was removed meanwhile: create it again */
        known_directory[0] = '\0';
        if (make_parents(client->path) == 0)
            client->file_fd = open(client->temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    }
    if (client->file_fd < 0) record_error(client, "open", client->temporary, errno);
    if (size == 0) finish_file(client);
}

/* ---- the control protocol ---- */

static void close_client(struct client *client) {
    if (client->file_fd >= 0) {
        close(client->file_fd);
        unlink(client->temporary);
    }
    close(client->fd);
    free(client->buffer);
    memset(client, 0, sizeof *client);
    client->fd = -1;
    client->file_fd = -1;
}

/* Returns -1 when the connection must be closed (it did not authenticate). */
static int handle_line(struct client *client, char *line) {
    if (!client->authenticated) {
        if (token != NULL && strncmp(line, "AUTH ", 5) == 0 && strcmp(line + 5, token) == 0) {
            client->authenticated = 1;
            return 0;
        }
        reply(client, "ERR not authenticated: send AUTH <token> first\n");
        return -1;
    }
    if (strncmp(line, "AUTH ", 5) == 0) {
        /* already authenticated (loopback): nothing to do */
    } else if (strncmp(line, "PUT ", 4) == 0) {
        begin_file(client, line);
    } else if (strncmp(line, "DEL ", 4) == 0) {
        delete_path(client, line + 4);
    } else if (strcmp(line, "END") == 0) {
        if (client->error[0] != '\0') reply(client, "ERR %s\n", client->error);
        else reply(client, "OK\n");
        client->error[0] = '\0';
    } else if (strcmp(line, "RESTART") == 0) {
        char error[512];
        pid_t pid = restart_command(error, sizeof error);
        if (pid > 0) reply(client, "OK %d\n", (int)pid);
        else reply(client, "ERR %s\n", error);
    } else if (strcmp(line, "PID") == 0) {
        reply(client, "OK %d\n", (int)child_pid);
    } else if (strcmp(line, "HELLO") == 0) {
        reply(client, "OK wbuild-init 1\n");
    } else {
        reply(client, "ERR unknown command\n");
    }
    return 0;
}

/* Consumes what is buffered: file bytes while a PUT streams, otherwise whole lines.
   Returns -1 when the connection must be closed. */
static int process_buffer(struct client *client) {
    size_t start = 0;
    while (start < client->length) {
        if (client->remaining > 0) {
            size_t available = client->length - start;
            size_t take = (long long)available < client->remaining ? available : (size_t)client->remaining;
            if (client->file_fd >= 0 && write_all(client->file_fd, client->buffer + start, take) != 0) {
                record_error(client, "write", client->path, errno);
                close(client->file_fd);
                unlink(client->temporary);
                client->file_fd = -1;
            }
            start += take;
            client->remaining -= (long long)take;
            if (client->remaining == 0) finish_file(client);
            continue;
        }
        char *newline = memchr(client->buffer + start, '\n', client->length - start);
        if (newline == NULL) break;
        *newline = '\0';
        if (handle_line(client, client->buffer + start) != 0) return -1;
        start = (size_t)(newline - client->buffer) + 1;
    }
    memmove(client->buffer, client->buffer + start, client->length - start);
    client->length -= start;
    return 0;
}

/* Returns 0 to keep the connection, -1 to close it. */
static int read_client(struct client *client) {
    ssize_t got = read(client->fd, client->buffer + client->length, BUFFER_SIZE - client->length);
    if (got < 0) return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    if (got == 0) return -1;
    client->length += (size_t)got;
    if (process_buffer(client) != 0) return -1;
    if (client->length == BUFFER_SIZE) return -1; /* a line longer than the buffer */
    return 0;
}

static void accept_client(void) {
    struct sockaddr_in peer;
    socklen_t peer_length = sizeof peer;
    int fd = accept4(listen_fd, (struct sockaddr *)&peer, &peer_length, SOCK_CLOEXEC);
    if (fd < 0) return;
    int loopback = peer.sin_family == AF_INET && (ntohl(peer.sin_addr.s_addr) >> 24) == 127;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    for (int index = 0; index < MAX_CLIENTS; index++) {
        if (clients[index].fd >= 0) continue;
        clients[index].buffer = malloc(BUFFER_SIZE);
        if (clients[index].buffer == NULL) break;
        clients[index].fd = fd;
        clients[index].authenticated = token == NULL || loopback;
        clients[index].length = 0;
        clients[index].remaining = -1;
        clients[index].file_fd = -1;
        clients[index].error[0] = '\0';
        return;
    }
    close(fd);
}

static int open_listener(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr = {.s_addr = htonl(INADDR_ANY)}};
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 16) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- ctl mode ---- */

static int run_ctl(int port, const char *verb) {
    const char *command = NULL;
    if (strcmp(verb, "restart") == 0) command = "RESTART\n";
    else if (strcmp(verb, "pid") == 0) command = "PID\n";
    else if (strcmp(verb, "hello") == 0) command = "HELLO\n";
    if (command == NULL) {
        log_line("unknown ctl command '%s' (restart, pid, hello)", verb);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr = {.s_addr = htonl(INADDR_LOOPBACK)}};
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        log_line("cannot reach the supervisor on port %d: %s", port, strerror(errno));
        return 1;
    }
    if (write_all(fd, command, strlen(command)) != 0) return 1;
    char answer[1024];
    size_t length = 0;
    while (length < sizeof answer - 1) {
        ssize_t got = read(fd, answer + length, sizeof answer - 1 - length);
        if (got <= 0) break;
        length += (size_t)got;
        if (memchr(answer, '\n', length) != NULL) break;
    }
    answer[length] = '\0';
    (void)write_all(STDOUT_FILENO, answer, length);
    return strncmp(answer, "OK", 2) == 0 ? 0 : 1;
}

/* ---- rm mode ---- */

static int run_rm(int count, char **paths) {
    int failed = 0;
    for (int index = 0; index < count; index++) {
        struct client report;
        memset(&report, 0, sizeof report);
        delete_path(&report, paths[index]);
        if (report.error[0] != '\0') {
            log_line("%s", report.error);
            failed = 1;
        }
    }
    return failed;
}

/* ---- main ---- */

static void usage(void) {
    log_line("usage: wbuild-init [--port N] [--grace-ms N] [--token T] -- COMMAND [ARGS...]\n"
             "       wbuild-init ctl [--port N] restart|pid|hello\n"
             "       wbuild-init rm PATH...");
}

int main(int argc, char **argv) {
    int port = DEFAULT_PORT;
    int index = 1;
    int ctl = 0;
    if (index < argc && strcmp(argv[index], "rm") == 0) return run_rm(argc - index - 1, argv + index + 1);
    if (index < argc && strcmp(argv[index], "ctl") == 0) { ctl = 1; index++; }
    for (; index < argc; index++) {
        if (strcmp(argv[index], "--") == 0) { index++; break; }
        if (strcmp(argv[index], "--port") == 0 && index + 1 < argc) { port = atoi(argv[++index]); continue; }
        if (strcmp(argv[index], "--grace-ms") == 0 && index + 1 < argc) { grace_ms = atoi(argv[++index]); continue; }
        if (strcmp(argv[index], "--token") == 0 && index + 1 < argc) { token = argv[++index]; continue; }
        if (ctl) break;
        usage();
        return 2;
    }
    if (ctl) {
        if (index >= argc) { usage(); return 2; }
        return run_ctl(port, argv[index]);
    }
    if (index >= argc) { usage(); return 2; }
    command_argv = argv + index;

    for (int slot = 0; slot < MAX_CLIENTS; slot++) { clients[slot].fd = -1; clients[slot].file_fd = -1; }
    signal(SIGPIPE, SIG_IGN);
    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGCHLD);
    for (size_t s = 0; s < sizeof forwarded_signals / sizeof forwarded_signals[0]; s++) sigaddset(&handled, forwarded_signals[s]);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    signal_fd = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signal_fd < 0) { log_line("signalfd: %s", strerror(errno)); return 1; }

    listen_fd = open_listener(port);
    if (listen_fd < 0) log_line("cannot listen on port %d (%s): live update falls back to the engine", port, strerror(errno));

    child_pid = spawn_command();
    if (child_pid < 0) {
        log_line("cannot start %s: %s", command_argv[0], strerror(errno));
        return 127;
    }

    for (;;) {
        struct pollfd fds[2 + MAX_CLIENTS];
        int count = 0;
        fds[count++] = (struct pollfd){.fd = signal_fd, .events = POLLIN};
        fds[count++] = (struct pollfd){.fd = listen_fd, .events = POLLIN};
        for (int slot = 0; slot < MAX_CLIENTS; slot++) fds[count++] = (struct pollfd){.fd = clients[slot].fd, .events = POLLIN};
        if (poll(fds, (nfds_t)count, -1) < 0 && errno != EINTR) { log_line("poll: %s", strerror(errno)); return 1; }
        if (fds[0].revents && drain_signals() && child_pid < 0) return exit_code_of(child_status);
        if (listen_fd >= 0 && (fds[1].revents & POLLIN)) accept_client();
        for (int slot = 0; slot < MAX_CLIENTS; slot++) {
            if (clients[slot].fd < 0 || fds[2 + slot].revents == 0) continue;
            if (read_client(&clients[slot]) != 0) close_client(&clients[slot]);
        }
        if (child_pid < 0) return exit_code_of(child_status);
    }
}
