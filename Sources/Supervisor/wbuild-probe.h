/*
 * wbuild-init probe: the readiness and liveness checks of a deployed workload, run by the
 * cluster (a Swarm service's healthcheck) inside images that may hold nothing but the workload
 * (FROM scratch): no shell, no wget, no curl.
 *
 *   wbuild-init probe http PORT PATH [TIMEOUT_MS]   GET PATH from 127.0.0.1:PORT (HTTP/1.0,
 *                                                   Host 127.0.0.1); healthy on a 2xx or 3xx
 *   wbuild-init probe tcp PORT [TIMEOUT_MS]         healthy when 127.0.0.1:PORT accepts
 *
 * Exit 0 healthy, 1 not (one line on stderr says why), 2 bad arguments. TIMEOUT_MS (default
 * 1000) bounds the connect and each read.
 */
#ifndef WBUILD_PROBE_H
#define WBUILD_PROBE_H

static int probe_fail(const char *what, const char *detail) {
    fprintf(stderr, "wbuild-init probe: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

/* A connected socket to 127.0.0.1:port within timeout_ms, or -1 with errno set. */
static int probe_connect(int port, int timeout_ms) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return -1;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) {
        if (errno != EINPROGRESS) { int saved = errno; close(fd); errno = saved; return -1; }
        struct pollfd waiting = { .fd = fd, .events = POLLOUT };
        int ready = poll(&waiting, 1, timeout_ms);
        if (ready <= 0) { close(fd); errno = ready == 0 ? ETIMEDOUT : errno; return -1; }
        int error = 0;
        socklen_t length = sizeof error;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0 || error != 0) {
            close(fd);
            errno = error ? error : EIO;
            return -1;
        }
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    struct timeval limit = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    return fd;
}

static int probe_http(int port, const char *path, int timeout_ms) {
    if (path[0] != '/' || strpbrk(path, " \r\n") != NULL) return probe_fail("the path must start with / and hold no spaces", path);
    int fd = probe_connect(port, timeout_ms);
    if (fd < 0) return probe_fail("cannot connect to 127.0.0.1", strerror(errno));
    char request[2300];
    int length = snprintf(request, sizeof request, "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%d\r\nUser-Agent: wbuild-probe\r\n\r\n", path, port);
    if (length <= 0 || (size_t)length >= sizeof request) { close(fd); return probe_fail("the path is too long", NULL); }
    for (int sent = 0; sent < length;) {
        ssize_t wrote = send(fd, request + sent, (size_t)(length - sent), MSG_NOSIGNAL);
        if (wrote <= 0) { int saved = errno; close(fd); return probe_fail("cannot send the request", strerror(saved)); }
        sent += (int)wrote;
    }
    char head[64];
    size_t have = 0;
    while (have < 12) {  /* "HTTP/1.1 200" */
        ssize_t got = recv(fd, head + have, sizeof head - 1 - have, 0);
        if (got <= 0) { int saved = errno; close(fd); return probe_fail("no answer", got == 0 ? "connection closed" : strerror(saved)); }
        have += (size_t)got;
    }
    close(fd);
    head[have] = 0;
    if (strncmp(head, "HTTP/1.", 7) != 0 || head[8] != ' ') return probe_fail("not an HTTP answer", NULL);
    int status = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
    if (status >= 200 && status < 400) return 0;
    char detail[32];
    snprintf(detail, sizeof detail, "status %d", status);
    return probe_fail("unhealthy answer", detail);
}

static int probe_tcp(int port, int timeout_ms) {
    int fd = probe_connect(port, timeout_ms);
    if (fd < 0) return probe_fail("cannot connect to 127.0.0.1", strerror(errno));
    close(fd);
    return 0;
}

/* argv: what follows `probe`. */
static int run_probe(int argc, char **argv) {
    if (argc >= 1 && strcmp(argv[0], "http") == 0 && (argc == 3 || argc == 4)) {
        int port = atoi(argv[1]);
        int timeout_ms = argc == 4 ? atoi(argv[3]) : 1000;
        if (port < 1 || port > 65535 || timeout_ms < 1) return probe_fail("usage: probe http PORT PATH [TIMEOUT_MS]", NULL) + 1;
        return probe_http(port, argv[2], timeout_ms);
    }
    if (argc >= 1 && strcmp(argv[0], "tcp") == 0 && (argc == 2 || argc == 3)) {
        int port = atoi(argv[1]);
        int timeout_ms = argc == 3 ? atoi(argv[2]) : 1000;
        if (port < 1 || port > 65535 || timeout_ms < 1) return probe_fail("usage: probe tcp PORT [TIMEOUT_MS]", NULL) + 1;
        return probe_tcp(port, timeout_ms);
    }
    fprintf(stderr, "usage: wbuild-init probe http PORT PATH [TIMEOUT_MS] | probe tcp PORT [TIMEOUT_MS]\n");
    return 2;
}

#endif
