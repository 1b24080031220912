/*
 * wbuild-init: the live-update supervisor wbuild injects into containers at /.wbuild/init.
 *
 * Runs as PID 1 in images that may have no libc, shell or tar (it is linked statically):
 *   wbuild-init [--port N] [--grace-ms N] [--secret-file PATH] -- COMMAND [ARGS...]
 *     spawns COMMAND in its own process group with every signal at its default disposition and
 *     none blocked (as tini does: the supervisor's own ignored SIGPIPE is not inherited), forwards
 *     SIGTERM/SIGINT/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2/SIGWINCH to that group, reaps every zombie,
 *     exits with the command's status when it exits on its own, and serves the control protocol
 *     on TCP port N (default 47011).
 *
 *   The control protocol is Sources/HelperSupport/wbuild-control.h's (read it for the framing):
 *   every connection first proves it holds the container's secret (`AUTH <secret>`, read at start
 *   from /.wbuild/secret or --secret-file; none readable: every connection is refused), then
 *     PUT <mode> <size> <path>\n<size bytes>   write a file (wbuild-files.h: beside, then renamed)
 *     MKDIR <mode> <path>\n                    make a directory, set its mode
 *     LINK <size> <path>\n<size bytes>         make a symbolic link to those bytes
 *     DEL <path>\n                             remove a file, link or tree (no link followed, no
 *                                              mount crossed)
 *     END\n       -> "OK\n", or "ERR <first failure since the last END>\n"
 *     RESTART\n   -> stop the command (SIGTERM to its group, SIGKILL after the grace period),
 *                    start it again, "OK <pid>\n" once the new process has exec'd it
 *     PID\n       -> "OK <pid>\n"
 *     HELLO\n     -> "OK wbuild-init 2\n"
 *   A failed file operation is recorded for END and the stream stays in step; a malformed request
 *   closes the connection (its body is never read as requests).
 *
 *   wbuild-init ctl [--port N] [--secret-file PATH] restart|pid|hello
 *     sends one request to the supervisor of this container (authenticated with the secret file)
 *     and prints the reply (for `docker exec`, which needs no shell); exit 0 on OK.
 *
 *   wbuild-init rm PATH...
 *     removes files, links and directory trees (missing ones are fine) exactly as DEL does: for
 *     images with no shell or rm, through `docker exec`; exit 1 when one could not be removed.
 *
 *   wbuild-init probe http PORT PATH [TIMEOUT_MS] | probe tcp PORT [TIMEOUT_MS]
 *     a readiness or liveness check of 127.0.0.1:PORT for a cluster's healthcheck (wbuild-probe.h);
 *     exit 0 healthy, 1 not.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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
#include "wbuild-control.h"
#include "wbuild-files.h"
#include "wbuild-probe.h"

#define DEFAULT_PORT 47011
#define MAX_CLIENTS 8
#define BUFFER_SIZE (256 * 1024)

static const int forwarded_signals[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

struct client {
    int fd;
    /* After a refusal: our side is shut, what the peer still sends is read and dropped until it
       closes, so the refusal is not lost to a reset (a close with unread bytes sends one). */
    int draining;
    char *buffer;
    size_t length;
    struct wbc_parser parser;
    /* The last request; while its body streams in, the file being written or the link's target. */
    struct wbc_request request;
    struct wbf_write file;
    char link_target[WBC_LINK_MAX + 1];
    size_t link_length;
    /* The first failure since the last END. */
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
static char secret[WBC_SECRET_LENGTH + 1];
static int have_secret = 0;

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
    if ((size_t)length >= sizeof text) {
        length = (int)sizeof text - 1;
        text[length - 1] = '\n'; /* cut, but still one line */
    }
    (void)write_all(client->fd, text, (size_t)length);
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
        /* The command starts as under tini: every disposition the default (the supervisor
           ignores SIGPIPE, which exec would pass on), nothing blocked. */
        struct sigaction default_action;
        memset(&default_action, 0, sizeof default_action);
        default_action.sa_handler = SIG_DFL;
        sigemptyset(&default_action.sa_mask);
        for (int number = 1; number < NSIG; number++) {
            if (number != SIGKILL && number != SIGSTOP) (void)sigaction(number, &default_action, NULL);
        }
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

/* ---- the control protocol ---- */

static void close_client(struct client *client) {
    wbf_write_abandon(&client->file);
    close(client->fd);
    free(client->buffer);
    memset(client, 0, sizeof *client);
    client->fd = -1;
    client->file.fd = -1;
    client->file.parent = -1;
}

static void handle_request(struct client *client) {
    struct wbc_request *request = &client->request;
    char *error = client->error;
    switch (request->verb) {
    case WBC_VERB_PUT:
        wbf_write_begin(&client->file, request->path, error, sizeof client->error);
        if (request->size == 0) wbf_write_finish(&client->file, request->mode, request->path, error, sizeof client->error);
        break;
    case WBC_VERB_LINK:
        client->link_length = 0;
        if (request->size == 0) wbf_link(request->path, client->link_target, 0, error, sizeof client->error);
        break;
    case WBC_VERB_MKDIR:
        wbf_make_directory(request->path, request->mode, error, sizeof client->error);
        break;
    case WBC_VERB_DEL:
        wbf_remove(request->path, error, sizeof client->error);
        break;
    case WBC_VERB_END:
        if (error[0] != '\0') reply(client, "ERR %s\n", error);
        else reply(client, "OK\n");
        error[0] = '\0';
        break;
    case WBC_VERB_RESTART: {
        char why[512];
        pid_t pid = restart_command(why, sizeof why);
        if (pid > 0) reply(client, "OK %d\n", (int)pid);
        else reply(client, "ERR %s\n", why);
        break;
    }
    case WBC_VERB_PID:
        reply(client, "OK %d\n", (int)child_pid);
        break;
    case WBC_VERB_HELLO:
        reply(client, "OK wbuild-init %d\n", WBC_VERSION);
        break;
    default:
        reply(client, "ERR unknown command\n");
        break;
    }
}

/* Bytes of a PUT or LINK body. */
static void handle_body(struct client *client, const struct wbc_event *event) {
    struct wbc_request *request = &client->request;
    if (request->verb == WBC_VERB_PUT) {
        wbf_write_bytes(&client->file, event->body, event->body_length, request->path, client->error, sizeof client->error);
        if (event->body_done) wbf_write_finish(&client->file, request->mode, request->path, client->error, sizeof client->error);
        return;
    }
    /* LINK: at most WBC_LINK_MAX bytes, which the parser checked */
    memcpy(client->link_target + client->link_length, event->body, event->body_length);
    client->link_length += event->body_length;
    if (event->body_done) wbf_link(request->path, client->link_target, client->link_length, client->error, sizeof client->error);
}

/* Consumes what is buffered; returns -1 when the connection must be closed. */
static int process_buffer(struct client *client) {
    size_t start = 0;
    int result = 0;
    for (;;) {
        struct wbc_event event;
        start += wbc_parse(&client->parser, client->buffer + start, client->length - start, &event, &client->request);
        if (event.kind == WBC_NEED_MORE) break;
        if (event.kind == WBC_FATAL) {
            reply(client, "ERR %s\n", event.why);
            result = -1;
            break;
        }
        if (event.kind == WBC_AUTHENTICATED) reply(client, "OK wbuild-init %d\n", WBC_VERSION);
        else if (event.kind == WBC_REQUEST) handle_request(client);
        else if (event.kind == WBC_BODY) handle_body(client, &event);
    }
    memmove(client->buffer, client->buffer + start, client->length - start);
    client->length -= start;
    return result;
}

/* Returns 0 to keep the connection, -1 to close it. */
static int read_client(struct client *client) {
    if (client->draining) client->length = 0;
    ssize_t got = read(client->fd, client->buffer + client->length, BUFFER_SIZE - client->length);
    if (got < 0) return (errno == EINTR || errno == EAGAIN) ? 0 : -1;
    if (got == 0) return -1;
    if (client->draining) return 0;
    client->length += (size_t)got;
    if (process_buffer(client) == 0) return 0;
    wbf_write_abandon(&client->file);
    shutdown(client->fd, SHUT_WR);
    client->draining = 1;
    return 0;
}

static void accept_client(void) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    int slot = -1;
    for (int index = 0; index < MAX_CLIENTS && slot < 0; index++) {
        if (clients[index].fd < 0) slot = index;
    }
    if (slot < 0) {
        /* Full: a connection that was refused or has not authenticated yet gives way, so
           strangers holding connections open cannot lock wbuild out. */
        for (int index = 0; index < MAX_CLIENTS && slot < 0; index++) {
            if (clients[index].draining || !clients[index].parser.authenticated) {
                close_client(&clients[index]);
                slot = index;
            }
        }
    }
    if (slot < 0 || (clients[slot].buffer = malloc(BUFFER_SIZE)) == NULL) {
        close(fd);
        return;
    }
    struct client *client = &clients[slot];
    client->fd = fd;
    client->length = 0;
    client->file.fd = -1;
    client->file.parent = -1;
    client->error[0] = '\0';
    memset(&client->parser, 0, sizeof client->parser);
    client->parser.dialect = WBC_SUPERVISOR;
    client->parser.secret = have_secret ? secret : NULL;
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

/* Reads one reply line into `answer` (NUL-terminated, its \n kept); its length, 0 at the end. */
static size_t read_line(int fd, char *answer, size_t size) {
    size_t length = 0;
    while (length < size - 1) {
        ssize_t got = read(fd, answer + length, 1);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        length++;
        if (answer[length - 1] == '\n') break;
    }
    answer[length] = '\0';
    return length;
}

static int run_ctl(int port, const char *secret_file, const char *verb) {
    const char *command = NULL;
    if (strcmp(verb, "restart") == 0) command = "RESTART\n";
    else if (strcmp(verb, "pid") == 0) command = "PID\n";
    else if (strcmp(verb, "hello") == 0) command = "HELLO\n";
    if (command == NULL) {
        log_line("unknown ctl command '%s' (restart, pid, hello)", verb);
        return 2;
    }
    char why[512];
    if (wbc_load_secret(secret_file, secret, why, sizeof why) != 0) {
        log_line("%s", why);
        return 1;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr = {.s_addr = htonl(INADDR_LOOPBACK)}};
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        log_line("cannot reach the supervisor on port %d: %s", port, strerror(errno));
        return 1;
    }
    char request[WBC_SECRET_LENGTH + 32];
    int length = snprintf(request, sizeof request, "AUTH %s\n%s", secret, command);
    if (write_all(fd, request, (size_t)length) != 0) return 1;
    char answer[1024];
    read_line(fd, answer, sizeof answer);
    if (strncmp(answer, "OK wbuild-init ", 15) != 0) {
        (void)write_all(STDOUT_FILENO, answer, strlen(answer));
        return 1;
    }
    size_t got = read_line(fd, answer, sizeof answer);
    (void)write_all(STDOUT_FILENO, answer, got);
    return strncmp(answer, "OK", 2) == 0 ? 0 : 1;
}

/* ---- rm mode ---- */

static int run_rm(int count, char **paths) {
    int failed = 0;
    for (int index = 0; index < count; index++) {
        char error[512] = "";
        const char *why = wbc_check_path(paths[index], strlen(paths[index]));
        if (why != NULL) snprintf(error, sizeof error, "rm %s: %s", paths[index], why);
        else wbf_remove(paths[index], error, sizeof error);
        if (error[0] != '\0') {
            log_line("%s", error);
            failed = 1;
        }
    }
    return failed;
}

/* ---- main ---- */

static void usage(void) {
    log_line("usage: wbuild-init [--port N] [--grace-ms N] [--secret-file PATH] -- COMMAND [ARGS...]\n"
             "       wbuild-init ctl [--port N] [--secret-file PATH] restart|pid|hello\n"
             "       wbuild-init rm PATH...\n"
             "       wbuild-init probe http PORT PATH [TIMEOUT_MS] | probe tcp PORT [TIMEOUT_MS]");
}

int main(int argc, char **argv) {
    int port = DEFAULT_PORT;
    int index = 1;
    int ctl = 0;
    const char *secret_file = WBC_DEFAULT_SECRET_FILE;
    if (index < argc && strcmp(argv[index], "rm") == 0) return run_rm(argc - index - 1, argv + index + 1);
    if (index < argc && strcmp(argv[index], "probe") == 0) return run_probe(argc - index - 1, argv + index + 1);
    if (index < argc && strcmp(argv[index], "ctl") == 0) { ctl = 1; index++; }
    for (; index < argc; index++) {
        if (strcmp(argv[index], "--") == 0) { index++; break; }
        if (strcmp(argv[index], "--port") == 0 && index + 1 < argc) { port = atoi(argv[++index]); continue; }
        if (strcmp(argv[index], "--grace-ms") == 0 && index + 1 < argc) { grace_ms = atoi(argv[++index]); continue; }
        if (strcmp(argv[index], "--secret-file") == 0 && index + 1 < argc) { secret_file = argv[++index]; continue; }
        if (ctl) break;
        usage();
        return 2;
    }
    if (ctl) {
        if (index >= argc) { usage(); return 2; }
        return run_ctl(port, secret_file, argv[index]);
    }
    if (index >= argc) { usage(); return 2; }
    command_argv = argv + index;

    for (int slot = 0; slot < MAX_CLIENTS; slot++) {
        clients[slot].fd = -1;
        clients[slot].file.fd = -1;
        clients[slot].file.parent = -1;
    }
    char why[512];
    have_secret = wbc_load_secret(secret_file, secret, why, sizeof why) == 0;
    if (!have_secret) log_line("%s: every control connection is refused (live update falls back to the engine)", why);
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
