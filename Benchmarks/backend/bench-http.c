/*
 * bench-http: the router suite's backend (Benchmarks/README.md, suite `router`). A static
 * HTTP/1.1 server that answers every request `200 OK` with the same 100-byte body and a
 * Content-Length, keeps connections alive (HTTP/1.1 unless `Connection: close`; HTTP/1.0 only
 * with `Connection: keep-alive`), and reads and discards request bodies sized by
 * Content-Length (a chunked request body gets its answer and the connection closed). Fast
 * enough that what the benchmark sees is the proxy in front of it, not the backend: busybox
 * httpd forks per request and closes every connection.
 *
 *   bench-http [PORT]      (default 8080, every IPv4 address)
 *
 * One epoll loop per CPU (at most 8), each on a listening socket of its own (SO_REUSEPORT),
 * non-blocking sockets, TCP_NODELAY, pipelined requests answered in order. Runs as PID 1 in a
 * FROM scratch image: SIGTERM and SIGINT end it at once.
 *
 *   cc -static -O2 -pthread -o bench-http bench-http.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER_BYTES 16384
#define MAX_EVENTS 64

static const char body[] =
    "wbuild-bench backend: a fixed body of one hundred bytes, the same for every request.....\n"
    "0123456789\n";

static char response_keep[256];
static char response_close[256];
static int response_keep_length, response_close_length;

struct connection {
    int fd;
    size_t used;          /* bytes in buffer */
    long long discard;    /* body bytes still to skip */
    char buffer[BUFFER_BYTES];
};

static int port = 8080;

/* The value of header `name` in the head [start, end), or NULL. */
static const char *header_value(const char *start, const char *end, const char *name, size_t *length) {
    size_t name_length = strlen(name);
    const char *line = memchr(start, '\n', (size_t)(end - start));
    while (line != NULL && line + 1 < end) {
        line++;
        const char *line_end = memchr(line, '\n', (size_t)(end - line));
        if (line_end == NULL) line_end = end;
        if ((size_t)(line_end - line) > name_length && line[name_length] == ':'
            && strncasecmp(line, name, name_length) == 0) {
            const char *value = line + name_length + 1;
            while (value < line_end && (*value == ' ' || *value == '\t')) value++;
            const char *value_end = line_end;
            while (value_end > value && (value_end[-1] == '\r' || value_end[-1] == ' ')) value_end--;
            *length = (size_t)(value_end - value);
            return value;
        }
        line = line_end;
    }
    return NULL;
}

static int contains_token(const char *value, size_t length, const char *token) {
    size_t token_length = strlen(token);
    for (size_t i = 0; i + token_length <= length; i++) {
        if (strncasecmp(value + i, token, token_length) == 0) return 1;
    }
    return 0;
}

static int send_all(int fd, const char *data, int length) {
    int sent = 0;
    while (sent < length) {
        ssize_t n = send(fd, data + sent, (size_t)(length - sent), MSG_NOSIGNAL);
        if (n > 0) { sent += (int)n; continue; }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            /* The client does not read: a response is small, so wait for room. */
            fd_set set;
            FD_ZERO(&set);
            FD_SET(fd, &set);
            struct timeval timeout = {5, 0};
            if (select(fd + 1, NULL, &set, NULL, &timeout) <= 0) return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* Answers every whole request in the buffer; returns -1 when the connection should close. */
static int serve(struct connection *c) {
    size_t offset = 0;
    for (;;) {
        if (c->discard > 0) {
            size_t skip = c->used - offset < (size_t)c->discard ? c->used - offset : (size_t)c->discard;
            offset += skip;
            c->discard -= (long long)skip;
            if (c->discard > 0) break;
        }
        char *start = c->buffer + offset;
        size_t available = c->used - offset;
        char *head_end = memmem(start, available, "\r\n\r\n", 4);
        if (head_end == NULL) {
            if (available == BUFFER_BYTES) return -1; /* a head over 16 KiB */
            break;
        }
        char *end = head_end + 4;
        size_t length = 0;
        const char *value;
        int keep_alive = memmem(start, (size_t)(end - start) < 64 ? (size_t)(end - start) : 64, "HTTP/1.0", 8) == NULL;
        if ((value = header_value(start, end, "Connection", &length)) != NULL) {
            if (contains_token(value, length, "close")) keep_alive = 0;
            else if (contains_token(value, length, "keep-alive")) keep_alive = 1;
        }
        if ((value = header_value(start, end, "Transfer-Encoding", &length)) != NULL
            && contains_token(value, length, "chunked")) keep_alive = 0;
        if ((value = header_value(start, end, "Content-Length", &length)) != NULL) {
            c->discard = strtoll(value, NULL, 10);
            if (c->discard < 0) return -1;
        }
        offset = (size_t)(end - c->buffer);
        if (keep_alive) {
            if (send_all(c->fd, response_keep, response_keep_length) != 0) return -1;
        } else {
            send_all(c->fd, response_close, response_close_length);
            return -1;
        }
    }
    memmove(c->buffer, c->buffer + offset, c->used - offset);
    c->used -= offset;
    return 0;
}

static int listener(void) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("bench-http: socket"); exit(1); }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                                  .sin_addr.s_addr = htonl(INADDR_ANY)};
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 1024) != 0) {
        perror("bench-http: bind/listen");
        exit(1);
    }
    return fd;
}

static void *loop(void *argument) {
    int listen_fd = (int)(long)argument;
    int epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &event);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int count = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        for (int i = 0; i < count; i++) {
            struct connection *c = events[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    int one = 1;
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct connection *made = calloc(1, sizeof *made);
                    if (made == NULL) { close(fd); continue; }
                    made->fd = fd;
                    struct epoll_event add = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = made};
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &add);
                }
                continue;
            }
            int closing = 0;
            for (;;) {
                ssize_t n = recv(c->fd, c->buffer + c->used, BUFFER_BYTES - c->used, 0);
                if (n > 0) {
                    c->used += (size_t)n;
                    if (serve(c) != 0) { closing = 1; break; }
                    if (c->used < BUFFER_BYTES) continue;
                    closing = 1;
                    break;
                }
                if (n == 0) { closing = 1; break; }
                if (errno == EINTR) continue;
                if (errno != EAGAIN && errno != EWOULDBLOCK) closing = 1;
                break;
            }
            if (closing) {
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                free(c);
            }
        }
    }
    return NULL;
}

static void stop(int signal_number) { (void)signal_number; _exit(0); }

int main(int argc, char **argv) {
    if (argc > 1) port = atoi(argv[1]);
    if (port <= 0 || port > 65535) { fprintf(stderr, "usage: bench-http [PORT]\n"); return 2; }
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    signal(SIGPIPE, SIG_IGN);
    const char *format = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s";
    response_keep_length = snprintf(response_keep, sizeof response_keep, format, sizeof body - 1, "", body);
    response_close_length = snprintf(response_close, sizeof response_close, format, sizeof body - 1,
                                     "Connection: close\r\n", body);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int loops = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
    pthread_t threads[8];
    for (int i = 0; i < loops; i++) pthread_create(&threads[i], NULL, loop, (void *)(long)listener());
    fprintf(stderr, "bench-http: listening on :%d with %d loop(s)\n", port, loops);
    for (int i = 0; i < loops; i++) pthread_join(threads[i], NULL);
    return 0;
}
