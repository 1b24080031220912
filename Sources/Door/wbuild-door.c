/*
 * wbuild-door: the front door of one workload. wbuild runs it as a small container that owns the
 * workload's name on the project network and its published ports, and forwards every TCP
 * connection to one of the workload's ready replicas, so the address stays put while replicas
 * are replaced behind it.
 *
 * Runs as PID 1 in a `FROM scratch` image (linked statically; no NSS, no threads):
 *   wbuild-door [--bind ADDR] [--control PORT] [--secret-file PATH] LISTEN[:BACKEND_PORT]...
 *     listens on ADDR (an IPv4 address, default 0.0.0.0) port LISTEN for each argument and
 *     forwards each connection to port BACKEND_PORT (default LISTEN) of a backend, and serves the
 *     control protocol on ADDR port PORT (default 47012). Bad arguments: usage on stderr, exit 2.
 *     A port that cannot be bound: exit 1. SIGTERM or SIGINT: exit 0 at once.
 *
 * Control protocol: the dialect of Sources/HelperSupport/wbuild-control.h (read it for the
 * framing). A connection's first line must be `AUTH <secret>` with the secret read at start from
 * /.wbuild/secret (or --secret-file; none readable: every connection is refused), answered
 * `OK wbuild-door 2`; anything else gets `ERR not authenticated` and the connection is closed.
 * Then, one reply line per request:
 *   SET [IP...]\n   -> "OK <count>\n"  replace the backend set with these IPv4 dotted quads (at
 *                      most 64 distinct; duplicates ignored). One bad address -> "ERR <why>\n"
 *                      and the set is unchanged. Only new connections follow the new set:
 *                      connections open to a removed backend run on untouched (the drain).
 *   GET\n           -> "OK[ <ip>...]\n"  the current set, in the order given
 *   CONNS <IP>\n    -> "OK <n>\n"  forwarded connections open (or connecting) to IP, whether or
 *                      not IP is still in the set: 0 once an old backend has drained
 *   HELLO\n         -> "OK wbuild-door 2\n"
 *   anything else   -> "ERR unknown command\n"
 *   A malformed line (over 4096 bytes, a NUL, HELLO or GET with arguments) -> "ERR <why>\n" and
 *   the connection is closed.
 *
 * Forwarding: backends are picked round-robin; each connect has a 1 s timeout, and a backend that
 * refuses, times out or fails before its connection is seen complete (no byte of the client's has
 * gone to it yet) is skipped for the next one in the set, each tried at most once per client;
 * when all have failed the client is closed without a byte. While the set is empty a client is
 * held, unread, for up to HOLD_MS (5 s), tried again every 50 ms and at once when a SET brings
 * backends (so a restart of the only replica makes clients wait instead of fail); then it is
 * closed. A client is held the same way while no socket can be had for its backend, and accepting
 * pauses for 100 ms whenever descriptors run out, instead of spinning. Bytes are copied both
 * ways through a bounded buffer per direction, reading a side only while the other side can take
 * more; an end of file is passed on as shutdown(SHUT_WR) once what came before it is delivered;
 * an error or reset on one side resets the other (SO_LINGER 0), so a cut-off response never
 * looks complete.
 *
 * stderr: a line when the backend set changes and one when a backend refuses or times out.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WBUILD_LOG_PREFIX "wbuild-door: "
#include "wbuild-log.h"
#include "wbuild-control.h"

#define DEFAULT_CONTROL_PORT 47012
#define MAX_LISTENERS 64
#define MAX_BACKENDS 64
#define BUFFER_SIZE (64 * 1024)
#define CONNECT_TIMEOUT_MS 1000
#define HOLD_MS 5000
#define HOLD_RETRY_MS 50
#define ACCEPT_PAUSE_MS 100
#define SHORTAGE_LOG_MS 10000
/* Bytes one connection may move before the others get a turn. */
#define PUMP_BUDGET (1024 * 1024)
#define CONTROL_OUT_SIZE 16384
#define MAX_REPLY_BYTES (8 + MAX_BACKENDS * 16)
#define MAX_CONTROL_CLIENTS 64
#define MAX_EVENTS 256

/* What an epoll event points at: every registered struct starts with its kind. */
enum kind { KIND_SIGNAL, KIND_LISTENER, KIND_CONTROL_LISTENER, KIND_CONTROL, KIND_CLIENT, KIND_BACKEND };

struct listener {
    enum kind kind;
    int fd;
    int port;
    int backend_port;
};

struct pair;

/* One socket of a forwarded connection. Registered edge-triggered: readable and writable hold
 * until a read or write says EAGAIN. */
struct side {
    enum kind kind;
    struct pair *pair;
    int fd;
    int readable;
    int writable;
    int eof;  /* read returned 0 */
    int shut; /* we shut down our writing half */
};

struct buffer {
    char *data;
    size_t start;
    size_t end;
};

enum pair_state { HOLDING, CONNECTING, OPEN, DEAD };

/* A client connection and its backend connection. */
struct pair {
    struct side client;
    struct side backend;
    struct buffer upstream;   /* client -> backend */
    struct buffer downstream; /* backend -> client */
    enum pair_state state;
    const struct listener *listener;
    struct in_addr backend_ip; /* while backend.fd >= 0 */
    struct in_addr tried[MAX_BACKENDS];
    int tried_count;
    long long deadline;   /* CONNECTING: the connect timeout */
    long long hold_until; /* HOLDING: when to give up (set when first held) */
    long long retry_at;   /* HOLDING: when to try the backends again */
    int on_ready_list;
    struct pair *previous, *next; /* live pairs; `next` links the dead ones too */
    struct pair *ready_next;
};

struct control {
    enum kind kind;
    int fd;
    struct wbc_parser parser;
    struct wbc_request request;
    int closing; /* close once the reply is out */
    /* After a refusal, once the reply is out: our side is shut, what the peer still sends is read
       and dropped until it closes, so the refusal is not lost to a reset. */
    int draining;
    int dead;
    unsigned interest;
    char in[WBC_LINE_MAX + 1];
    size_t in_length;
    char out[CONTROL_OUT_SIZE];
    size_t out_length;
    struct control *previous, *next;
};

static int epoll_fd = -1;
static struct { enum kind kind; int fd; } signal_source = {KIND_SIGNAL, -1};
static struct listener listeners[MAX_LISTENERS];
static int listener_count = 0;
static struct listener control_listener = {KIND_CONTROL_LISTENER, -1, DEFAULT_CONTROL_PORT, 0};
static long long accept_paused_until = 0;
static long long shortage_logged_at = 0;
static struct in_addr bind_address;
static char secret[WBC_SECRET_LENGTH + 1];
static int have_secret = 0;
static const char *secret_file = WBC_DEFAULT_SECRET_FILE;

static struct in_addr backends[MAX_BACKENDS];
static int backend_count = 0;
static int next_backend = 0; /* round-robin position */

static struct pair *pairs = NULL;      /* live */
static struct pair *dead_pairs = NULL; /* freed after the current round of events */
static struct pair *ready_pairs = NULL; /* ran out of budget with work left */
static struct control *controls = NULL;
static struct control *dead_controls = NULL;
static int control_count = 0;

static void pause_accepting(void);

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static void set_no_delay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void set_reset_on_close(int fd) {
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
}

static int same_address(struct in_addr a, struct in_addr b) { return a.s_addr == b.s_addr; }

/* ---- forwarded connections ---- */

static void close_pair(struct pair *pair, int reset) {
    if (pair->state == DEAD) return;
    if (pair->client.fd >= 0) {
        if (reset) set_reset_on_close(pair->client.fd);
        close(pair->client.fd);
        pair->client.fd = -1;
    }
    if (pair->backend.fd >= 0) {
        if (reset) set_reset_on_close(pair->backend.fd);
        close(pair->backend.fd);
        pair->backend.fd = -1;
    }
    pair->state = DEAD;
    if (pair->previous != NULL) pair->previous->next = pair->next; else pairs = pair->next;
    if (pair->next != NULL) pair->next->previous = pair->previous;
    pair->previous = NULL;
    pair->next = dead_pairs;
    dead_pairs = pair;
}

static int register_side(struct side *side) {
    struct epoll_event event = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = side};
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, side->fd, &event);
}

/* Moves what it can from src to dst through buffer; 0, or -1 when a socket failed. */
static int transfer(struct side *src, struct side *dst, struct buffer *buffer, size_t *budget, int *progress) {
    if (!src->eof && src->readable && buffer->end < BUFFER_SIZE && *budget > 0) {
        ssize_t got = recv(src->fd, buffer->data + buffer->end, BUFFER_SIZE - buffer->end, 0);
        if (got > 0) {
            buffer->end += (size_t)got;
            *budget = (size_t)got >= *budget ? 0 : *budget - (size_t)got;
            *progress = 1;
        } else if (got == 0) {
            src->eof = 1;
            *progress = 1;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            src->readable = 0;
        } else if (errno != EINTR) {
            return -1;
        }
    }
    while (buffer->start < buffer->end && dst->writable) {
        ssize_t sent = send(dst->fd, buffer->data + buffer->start, buffer->end - buffer->start, MSG_NOSIGNAL);
        if (sent > 0) {
            buffer->start += (size_t)sent;
            *progress = 1;
        } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            dst->writable = 0;
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else {
            return -1;
        }
    }
    if (buffer->start == buffer->end) {
        buffer->start = buffer->end = 0;
    } else if (buffer->end == BUFFER_SIZE && buffer->start > 0) {
        memmove(buffer->data, buffer->data + buffer->start, buffer->end - buffer->start);
        buffer->end -= buffer->start;
        buffer->start = 0;
    }
    if (src->eof && buffer->start == buffer->end && !dst->shut) {
        shutdown(dst->fd, SHUT_WR);
        dst->shut = 1;
        *progress = 1;
    }
    return 0;
}

/* Copies both ways until nothing moves or the budget is spent (then the pair goes on the ready
 * list for the next round); closes the pair when both directions are done or one side failed. */
static void pump(struct pair *pair) {
    if (pair->state != OPEN) return;
    size_t budget = PUMP_BUDGET;
    int progress;
    do {
        progress = 0;
        if (transfer(&pair->client, &pair->backend, &pair->upstream, &budget, &progress) != 0
            || transfer(&pair->backend, &pair->client, &pair->downstream, &budget, &progress) != 0) {
            close_pair(pair, 1);
            return;
        }
    } while (progress && budget > 0);
    if (pair->client.shut && pair->backend.shut) {
        close_pair(pair, 0);
        return;
    }
    if (budget == 0 && !pair->on_ready_list) {
        pair->on_ready_list = 1;
        pair->ready_next = ready_pairs;
        ready_pairs = pair;
    }
}

static void open_pair(struct pair *pair) {
    char *memory = malloc(2 * BUFFER_SIZE);
    if (memory == NULL) {
        close_pair(pair, 1);
        return;
    }
    pair->upstream = (struct buffer){.data = memory};
    pair->downstream = (struct buffer){.data = memory + BUFFER_SIZE};
    pair->state = OPEN;
    pair->backend.readable = 1;
    pair->backend.writable = 1;
    pump(pair);
}

/* The next backend in round-robin order this client has not tried yet; 0 when there is none. */
static int pick_backend(struct pair *pair, struct in_addr *chosen) {
    if (pair->tried_count >= MAX_BACKENDS) return 0;
    for (int step = 0; step < backend_count; step++) {
        int index = (next_backend + step) % backend_count;
        int tried = 0;
        for (int t = 0; t < pair->tried_count && !tried; t++) tried = same_address(pair->tried[t], backends[index]);
        if (tried) continue;
        next_backend = (index + 1) % backend_count;
        *chosen = backends[index];
        return 1;
    }
    return 0;
}

static void log_backend_failure(struct pair *pair, const char *what) {
    char text[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &pair->backend_ip, text, sizeof text);
    log_line("backend %s:%d %s", text, pair->listener->backend_port, what);
}

static void drop_backend(struct pair *pair) {
    if (pair->backend.fd >= 0) close(pair->backend.fd);
    pair->backend.fd = -1;
}

#define CONNECT_STARTED 0
#define CONNECT_FAILED -1
#define CONNECT_NO_DESCRIPTOR -2

/* Starts connecting to a backend: CONNECT_STARTED when under way (or connected), CONNECT_FAILED
 * when the backend failed at once, CONNECT_NO_DESCRIPTOR when this process is out of them. */
static int start_connect(struct pair *pair, struct in_addr address) {
    pair->backend_ip = address;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
            pause_accepting();
            return CONNECT_NO_DESCRIPTOR;
        }
        log_backend_failure(pair, strerror(errno));
        return CONNECT_FAILED;
    }
    set_no_delay(fd);
    pair->backend = (struct side){.kind = KIND_BACKEND, .pair = pair, .fd = fd};
    struct sockaddr_in target = {.sin_family = AF_INET, .sin_port = htons((uint16_t)pair->listener->backend_port),
                                 .sin_addr = address};
    int connected = connect(fd, (struct sockaddr *)&target, sizeof target);
    if (connected != 0 && errno != EINPROGRESS) {
        log_backend_failure(pair, strerror(errno));
        drop_backend(pair);
        return CONNECT_FAILED;
    }
    if (register_side(&pair->backend) != 0) {
        log_backend_failure(pair, strerror(errno));
        drop_backend(pair);
        return CONNECT_FAILED;
    }
    if (connected == 0) {
        open_pair(pair);
    } else {
        pair->state = CONNECTING;
        pair->deadline = now_ms() + CONNECT_TIMEOUT_MS;
    }
    return CONNECT_STARTED;
}

/* Keeps the client, unread, to try again in HOLD_RETRY_MS (or at once on a SET), until HOLD_MS
 * after it was first held. */
static void hold(struct pair *pair) {
    long long now = now_ms();
    if (pair->hold_until == 0) pair->hold_until = now + HOLD_MS;
    pair->retry_at = now + HOLD_RETRY_MS;
    pair->state = HOLDING;
}

/* Connects the pair to the next untried backend; holds it while the set is empty or no socket
 * can be had; closes it when every backend in the set has failed. */
static void try_backends(struct pair *pair) {
    for (;;) {
        struct in_addr address;
        if (!pick_backend(pair, &address)) {
            if (backend_count == 0 && pair->tried_count < MAX_BACKENDS) hold(pair);
            else close_pair(pair, 0);
            return;
        }
        pair->tried[pair->tried_count++] = address;
        int started = start_connect(pair, address);
        if (started == CONNECT_STARTED) return;
        if (started == CONNECT_NO_DESCRIPTOR) {
            pair->tried_count--; /* not the backend's fault */
            hold(pair);
            return;
        }
    }
}

static void connect_finished(struct pair *pair, uint32_t events) {
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(pair->backend.fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
    if (error == 0 && !(events & (EPOLLERR | EPOLLHUP))) {
        if (events & EPOLLOUT) open_pair(pair);
        return;
    }
    log_backend_failure(pair, error != 0 ? strerror(error) : "hung up");
    drop_backend(pair);
    try_backends(pair);
}

static void side_event(struct side *side, uint32_t events) {
    struct pair *pair = side->pair;
    if (pair->state == DEAD) return;
    if (side->kind == KIND_BACKEND && pair->state == CONNECTING) {
        connect_finished(pair, events);
        return;
    }
    if (pair->state != OPEN) {
        /* A held or connecting client that went away; one that only half-closed is kept. */
        if (events & (EPOLLERR | EPOLLHUP)) close_pair(pair, 0);
        return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) side->readable = 1;
    if (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) side->writable = 1;
    pump(pair);
    /* Whatever the socket still held has been read; the error itself resets both. */
    if (pair->state == OPEN && (events & EPOLLERR)) close_pair(pair, 1);
}

/* Stops accepting for ACCEPT_PAUSE_MS, so a shortage of descriptors does not spin on a listener
 * that stays readable. */
static void pause_accepting(void) {
    if (accept_paused_until != 0) return;
    long long now = now_ms();
    if (shortage_logged_at == 0 || now - shortage_logged_at >= SHORTAGE_LOG_MS) {
        log_line("out of file descriptors or memory (%s): pausing accepts", strerror(errno));
        shortage_logged_at = now;
    }
    accept_paused_until = now + ACCEPT_PAUSE_MS;
    for (int index = 0; index < listener_count; index++) epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listeners[index].fd, NULL);
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, control_listener.fd, NULL);
}

static void watch_listener(struct listener *listener) {
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = listener};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener->fd, &event);
}

static void resume_accepting(void) {
    accept_paused_until = 0;
    for (int index = 0; index < listener_count; index++) watch_listener(&listeners[index]);
    watch_listener(&control_listener);
}

/* Returns a connection from the listener, -1 when there is none now (or accepting paused). */
static int accept_one(int listen_fd) {
    for (;;) {
        int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) return fd;
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) pause_accepting();
        else if (errno != EAGAIN && errno != EWOULDBLOCK) log_line("accept: %s", strerror(errno));
        return -1;
    }
}

static void accept_clients(const struct listener *listener) {
    for (;;) {
        int fd = accept_one(listener->fd);
        if (fd < 0) return;
        set_no_delay(fd);
        struct pair *pair = calloc(1, sizeof *pair);
        if (pair == NULL) {
            close(fd);
            pause_accepting();
            return;
        }
        pair->client = (struct side){.kind = KIND_CLIENT, .pair = pair, .fd = fd, .readable = 1, .writable = 1};
        pair->backend = (struct side){.kind = KIND_BACKEND, .pair = pair, .fd = -1};
        pair->listener = listener;
        pair->state = HOLDING;
        pair->next = pairs;
        if (pairs != NULL) pairs->previous = pair;
        pairs = pair;
        if (register_side(&pair->client) != 0) {
            close_pair(pair, 0);
            continue;
        }
        try_backends(pair);
    }
}

/* ---- control connections ---- */

static void close_control(struct control *control) {
    if (control->dead) return;
    close(control->fd);
    control->dead = 1;
    control_count--;
    if (control->previous != NULL) control->previous->next = control->next; else controls = control->next;
    if (control->next != NULL) control->next->previous = control->previous;
    control->previous = NULL;
    control->next = dead_controls;
    dead_controls = control;
}

static void reply(struct control *control, const char *format, ...) {
    size_t room = sizeof control->out - control->out_length;
    va_list args;
    va_start(args, format);
    int length = vsnprintf(control->out + control->out_length, room, format, args);
    va_end(args);
    if (length < 0 || (size_t)length + 1 >= room) {
        control->closing = 1; /* cannot happen: lines are only handled while MAX_REPLY_BYTES fit */
        return;
    }
    control->out_length += (size_t)length;
    control->out[control->out_length++] = '\n';
}

static int parse_address(const char *text, struct in_addr *address) {
    return inet_pton(AF_INET, text, address) == 1;
}

static void format_backends(char *text, size_t size) {
    size_t length = 0;
    text[0] = '\0';
    for (int index = 0; index < backend_count && length + INET_ADDRSTRLEN + 1 < size; index++) {
        text[length++] = ' ';
        inet_ntop(AF_INET, &backends[index], text + length, (socklen_t)(size - length));
        length += strlen(text + length);
    }
}

static void command_set(struct control *control, char *arguments) {
    struct in_addr chosen[MAX_BACKENDS];
    int count = 0;
    char *cursor = NULL;
    for (char *word = strtok_r(arguments, " \t", &cursor); word != NULL; word = strtok_r(NULL, " \t", &cursor)) {
        struct in_addr address;
        if (!parse_address(word, &address)) {
            reply(control, "ERR not an IPv4 address: %.64s", word);
            return;
        }
        int duplicate = 0;
        for (int index = 0; index < count && !duplicate; index++) duplicate = same_address(chosen[index], address);
        if (duplicate) continue;
        if (count == MAX_BACKENDS) {
            reply(control, "ERR too many backends (at most %d)", MAX_BACKENDS);
            return;
        }
        chosen[count++] = address;
    }
    int changed = count != backend_count;
    for (int index = 0; index < count && !changed; index++) changed = !same_address(chosen[index], backends[index]);
    memcpy(backends, chosen, sizeof chosen[0] * (size_t)count);
    backend_count = count;
    if (changed) {
        next_backend = 0;
        char text[MAX_REPLY_BYTES];
        format_backends(text, sizeof text);
        log_line("backends%s", count == 0 ? " (none)" : text);
    }
    reply(control, "OK %d", count);
    if (count == 0) return;
    /* Held clients need not wait: connect them now. */
    for (struct pair *pair = pairs, *next; pair != NULL; pair = next) {
        next = pair->next;
        if (pair->state == HOLDING) try_backends(pair);
    }
}

static void command_conns(struct control *control, char *arguments) {
    char *cursor = NULL;
    char *word = strtok_r(arguments, " \t", &cursor);
    struct in_addr address;
    if (word == NULL || strtok_r(NULL, " \t", &cursor) != NULL || !parse_address(word, &address)) {
        reply(control, "ERR usage: CONNS <IPv4 address>");
        return;
    }
    int count = 0;
    for (struct pair *pair = pairs; pair != NULL; pair = pair->next) {
        if (pair->backend.fd >= 0 && same_address(pair->backend_ip, address)) count++;
    }
    reply(control, "OK %d", count);
}

static void handle_request(struct control *control) {
    struct wbc_request *request = &control->request;
    switch (request->verb) {
    case WBC_VERB_SET:
        command_set(control, request->arguments);
        break;
    case WBC_VERB_GET: {
        char text[MAX_REPLY_BYTES];
        format_backends(text, sizeof text);
        reply(control, "OK%s", text);
        break;
    }
    case WBC_VERB_CONNS:
        command_conns(control, request->arguments);
        break;
    case WBC_VERB_HELLO:
        reply(control, "OK wbuild-door %d", WBC_VERSION);
        break;
    default:
        reply(control, "ERR unknown command");
        break;
    }
}

static void watch_control(struct control *control) {
    unsigned wanted = control->out_length > 0 ? EPOLLOUT : EPOLLIN;
    if (wanted == control->interest) return;
    struct epoll_event event = {.events = wanted, .data.ptr = control};
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, control->fd, &event);
    control->interest = wanted;
}

/* Handles the complete lines received while replies fit, sends them, and closes the connection
 * when it is done with; -1 when it was closed. */
static int serve_control(struct control *control) {
    size_t start = 0;
    while (!control->closing && control->out_length + MAX_REPLY_BYTES <= sizeof control->out) {
        struct wbc_event event;
        start += wbc_parse(&control->parser, control->in + start, control->in_length - start, &event, &control->request);
        if (event.kind == WBC_NEED_MORE) break;
        if (event.kind == WBC_FATAL) {
            reply(control, "ERR %s", event.why);
            control->closing = 1;
            break;
        }
        if (event.kind == WBC_AUTHENTICATED) reply(control, "OK wbuild-door %d", WBC_VERSION);
        else if (event.kind == WBC_REQUEST) handle_request(control);
    }
    memmove(control->in, control->in + start, control->in_length - start);
    control->in_length -= start;
    while (control->out_length > 0) {
        ssize_t sent = send(control->fd, control->out, control->out_length, MSG_NOSIGNAL);
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (sent <= 0) {
            close_control(control);
            return -1;
        }
        memmove(control->out, control->out + sent, control->out_length - (size_t)sent);
        control->out_length -= (size_t)sent;
    }
    if (control->closing && control->out_length == 0) {
        shutdown(control->fd, SHUT_WR);
        control->draining = 1;
        control->closing = 0;
        watch_control(control);
        return -1;
    }
    watch_control(control);
    return 0;
}

static void control_event(struct control *control, uint32_t events) {
    if (control->dead) return;
    if (control->draining) {
        char scratch[4096];
        ssize_t got = recv(control->fd, scratch, sizeof scratch, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) close_control(control);
        return;
    }
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && control->out_length == 0 && !control->closing
        && control->in_length < sizeof control->in) {
        ssize_t got = recv(control->fd, control->in + control->in_length, sizeof control->in - control->in_length, 0);
        if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            close_control(control);
            return;
        }
        if (got > 0) control->in_length += (size_t)got;
    }
    while (serve_control(control) == 0 && control->out_length == 0 && !control->closing
           && memchr(control->in, '\n', control->in_length) != NULL) {
        /* lines left over from a full reply buffer */
    }
}

static void accept_controls(void) {
    for (;;) {
        int fd = accept_one(control_listener.fd);
        if (fd < 0) return;
        if (control_count >= MAX_CONTROL_CLIENTS) {
            /* Full: a refused or not yet authenticated connection gives way, so strangers holding
               connections open cannot lock wbuild out. */
            for (struct control *other = controls; other != NULL; other = other->next) {
                if (other->draining || !other->parser.authenticated) {
                    close_control(other);
                    break;
                }
            }
        }
        struct control *control = control_count < MAX_CONTROL_CLIENTS ? calloc(1, sizeof *control) : NULL;
        if (control == NULL) {
            close(fd);
            continue;
        }
        set_no_delay(fd);
        control->kind = KIND_CONTROL;
        control->fd = fd;
        control->parser.dialect = WBC_DOOR;
        control->parser.secret = have_secret ? secret : NULL;
        control->interest = EPOLLIN;
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = control};
        if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
            close(fd);
            free(control);
            continue;
        }
        control_count++;
        control->next = controls;
        if (controls != NULL) controls->previous = control;
        controls = control;
    }
}

/* ---- timers ---- */

static int next_timeout(void) {
    if (ready_pairs != NULL) return 0;
    long long next = accept_paused_until;
    for (struct pair *pair = pairs; pair != NULL; pair = pair->next) {
        long long deadline = pair->state == CONNECTING ? pair->deadline
                             : pair->state == HOLDING  ? (pair->retry_at < pair->hold_until ? pair->retry_at : pair->hold_until)
                                                       : 0;
        if (deadline != 0 && (next == 0 || deadline < next)) next = deadline;
    }
    if (next == 0) return -1;
    long long wait = next - now_ms();
    return wait < 0 ? 0 : wait > 60000 ? 60000 : (int)wait;
}

static void run_timers(void) {
    long long now = now_ms();
    if (accept_paused_until != 0 && now >= accept_paused_until) resume_accepting();
    for (struct pair *pair = pairs, *next; pair != NULL; pair = next) {
        next = pair->next;
        if (pair->state == CONNECTING && now >= pair->deadline) {
            log_backend_failure(pair, "timed out");
            drop_backend(pair);
            try_backends(pair);
        } else if (pair->state == HOLDING && now >= pair->hold_until) {
            close_pair(pair, 0);
        } else if (pair->state == HOLDING && now >= pair->retry_at) {
            try_backends(pair);
        }
    }
}

static void run_ready(void) {
    struct pair *list = ready_pairs;
    ready_pairs = NULL;
    while (list != NULL) {
        struct pair *pair = list;
        list = pair->ready_next;
        pair->on_ready_list = 0;
        pump(pair);
    }
}

static void bury_dead(void) {
    while (dead_pairs != NULL) {
        struct pair *pair = dead_pairs;
        dead_pairs = pair->next;
        free(pair->upstream.data);
        free(pair);
    }
    while (dead_controls != NULL) {
        struct control *control = dead_controls;
        dead_controls = control->next;
        free(control);
    }
}

/* ---- main ---- */

static void usage(void) {
    log_line("usage: wbuild-door [--bind ADDR] [--control PORT] [--secret-file PATH] LISTEN[:BACKEND_PORT]...\n"
             "  forwards each LISTEN port to BACKEND_PORT (default LISTEN) of the backends set on the control port\n"
             "  (default %d), which answers only connections that send `AUTH <secret>` first, the secret read from\n"
             "  --secret-file (default %s)",
             DEFAULT_CONTROL_PORT, WBC_DEFAULT_SECRET_FILE);
}

/* A port number 1...65535 spanning the whole text up to `end`; -1 otherwise. */
static int parse_port(const char *text, const char *end) {
    if (text == end || end - text > 5) return -1;
    int value = 0;
    for (const char *c = text; c < end; c++) {
        if (*c < '0' || *c > '9') return -1;
        value = value * 10 + (*c - '0');
    }
    return value >= 1 && value <= 65535 ? value : -1;
}

static int open_listener(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = bind_address};
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, SOMAXCONN) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* Hundreds of connections take two descriptors each: lift the soft limit to the hard one. */
static void raise_descriptor_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

static int parse_arguments(int argc, char **argv) {
    bind_address.s_addr = htonl(INADDR_ANY);
    for (int index = 1; index < argc; index++) {
        const char *argument = argv[index];
        if (strcmp(argument, "--bind") == 0 && index + 1 < argc) {
            if (!parse_address(argv[++index], &bind_address)) return -1;
            continue;
        }
        if (strcmp(argument, "--secret-file") == 0 && index + 1 < argc) {
            secret_file = argv[++index];
            continue;
        }
        if (strcmp(argument, "--control") == 0 && index + 1 < argc) {
            const char *value = argv[++index];
            if ((control_listener.port = parse_port(value, value + strlen(value))) < 0) return -1;
            continue;
        }
        if (argument[0] == '-' || listener_count == MAX_LISTENERS) return -1;
        const char *colon = strchr(argument, ':');
        const char *end = argument + strlen(argument);
        int port = parse_port(argument, colon != NULL ? colon : end);
        int backend_port = colon != NULL ? parse_port(colon + 1, end) : port;
        if (port < 0 || backend_port < 0) return -1;
        for (int other = 0; other < listener_count; other++) {
            if (listeners[other].port == port) return -1;
        }
        listeners[listener_count++] = (struct listener){KIND_LISTENER, -1, port, backend_port};
    }
    if (listener_count == 0) return -1;
    for (int index = 0; index < listener_count; index++) {
        if (listeners[index].port == control_listener.port) return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (parse_arguments(argc, argv) != 0) {
        usage();
        return 2;
    }
    char why[512];
    have_secret = wbc_load_secret(secret_file, secret, why, sizeof why) == 0;
    if (!have_secret) log_line("%s: every control connection is refused", why);

    signal(SIGPIPE, SIG_IGN);
    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigprocmask(SIG_BLOCK, &handled, NULL);
    signal_source.fd = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (signal_source.fd < 0 || epoll_fd < 0) {
        log_line("cannot set up: %s", strerror(errno));
        return 1;
    }
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = &signal_source};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, signal_source.fd, &event);
    raise_descriptor_limit();

    char address[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &bind_address, address, sizeof address);
    for (int index = 0; index <= listener_count; index++) {
        struct listener *listener = index < listener_count ? &listeners[index] : &control_listener;
        listener->fd = open_listener(listener->port);
        if (listener->fd < 0) {
            log_line("cannot listen on %s:%d: %s", address, listener->port, strerror(errno));
            return 1;
        }
        watch_listener(listener);
    }

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int count = epoll_wait(epoll_fd, events, MAX_EVENTS, next_timeout());
        if (count < 0) {
            if (errno == EINTR) continue;
            log_line("epoll_wait: %s", strerror(errno));
            return 1;
        }
        for (int index = 0; index < count; index++) {
            enum kind *kind = events[index].data.ptr;
            switch (*kind) {
            case KIND_SIGNAL:
                return 0;
            case KIND_LISTENER:
                accept_clients((const struct listener *)kind);
                break;
            case KIND_CONTROL_LISTENER:
                accept_controls();
                break;
            case KIND_CONTROL:
                control_event((struct control *)kind, events[index].events);
                break;
            case KIND_CLIENT:
            case KIND_BACKEND:
                side_event((struct side *)kind, events[index].events);
                break;
            }
        }
        run_timers();
        run_ready();
        bury_dead();
    }
}
