/*
 * wbuild-router: the project's local HTTP router. wbuild runs it as a small container that owns
 * the routes' port and sends each HTTP/1.1 request to a ready replica of the workload whose
 * route takes it, so one address serves every workload and replicas are replaced behind it.
 *
 * Runs as PID 1 in a `FROM scratch` image (linked statically; no NSS; a thread per connection):
 *   wbuild-router [--bind ADDR] [--listen PORT] [--control PORT] [--secret-file PATH]
 *                 [--hold-ms N] [--idle-ms N] [--header-timeout-ms N] [--body-timeout-ms N]
 *                 [--max-header-bytes N] [--max-headers N]
 *                 [--route "<workload> <exact|prefix> <host|-> <0|1> <path>"]...
 *                 [--discover "<workload> <dns-name> <port> <http|h2>"]... [--resolver IPv4[:PORT]]
 *     serves HTTP on ADDR (IPv4, default 0.0.0.0) port PORT (default 8000) and the control
 *     protocol on port --control (default 47013). --hold-ms (5000): how long a request waits for
 *     its workload to have a ready replica; --idle-ms (60000): a kept-alive connection's wait for
 *     its next request; --header-timeout-ms (10000): the time a request head has to arrive whole;
 *     --body-timeout-ms (60000): how long a body, a response or a tunnel may move no byte either
 *     way; --max-header-bytes (32768), --max-headers (100): the largest request head. Bad
 *     arguments: usage on stderr, exit 2. A port that cannot be bound: exit 1. SIGTERM or SIGINT:
 *     exit 0 at once.
 *     Without wbuild beside it (a Swarm service): --route rules (as ROUTE lines, in precedence
 *     order) are the table from the start, and each --discover workload's replicas are the A
 *     records of its DNS name (`tasks.<service>`: Swarm's running tasks), asked every second of
 *     --resolver (default: the first nameserver of /etc/resolv.conf) and applied as a SET would.
 *
 * Control protocol: the dialect of Sources/HelperSupport/wbuild-control.h (read it for the
 * framing and the words' syntax). A connection's first line must be `AUTH <secret>` with the
 * secret read at start from /.wbuild/secret (or --secret-file; none readable: every connection is
 * refused), answered `OK wbuild-router 2`; anything else gets `ERR not authenticated` and the
 * connection is closed. Then, one reply line per request:
 *   BEGIN <fingerprint>  -> "OK"  start staging a route table on this connection (1-64 of [0-9a-f])
 *   ROUTE <workload> <exact|prefix> <host|-> <0|1> <path>  -> "OK"  append a rule to the staged
 *                           table (at most 1024). wbuild sends them in precedence order
 *                           (RouteTable.byPrecedence): the first rule that matches wins.
 *   COMMIT               -> "OK <rules>"  the staged table replaces the live one at once: each next
 *                           request, on new connections and open ones, is matched against it. A
 *                           connection closed before COMMIT discards what it staged.
 *   TABLE                -> "OK <fingerprint|-> <rules>"
 *   SET <workload> <port> <http|h2> <state> [<replica>=<IPv4>...]  -> "OK <count>"  the
 *                           workload's ready replicas (at most 64), the container port to dial and
 *                           its protocol, and a state word for 503s. Only new requests follow it.
 *   CONNS <IPv4>         -> "OK <n>"  exchanges in flight to that address (connecting, a request
 *                           or response under way, an upgraded tunnel), in a set or not: 0 once an
 *                           old replica has drained. Idle kept-alive connections do not count and
 *                           never carry a new request to a replica no longer in its set.
 *   EVENTS               -> "OK", then a line per finished request: `REQ <method> <status>
 *                           <micros> <workload|-> <replica|-> <target>` (at most 8 subscribers;
 *                           lines a slow one has no room for are dropped, then `DROPPED <n>`).
 *   HELLO                -> "OK wbuild-router 2";  anything else -> "ERR unknown command"
 *   A malformed line -> "ERR <why>" and the connection is closed.
 *
 * Forwarding: each request of a keep-alive connection is routed on its own. Host (lowercased,
 * port and trailing dot removed) is compared exactly, `*.suffix` takes one more label, `-` any;
 * the path (target up to `?`) exactly or element-wise by prefix. stripPrefix sends `/api/x?q` as
 * `/x?q` with X-Forwarded-Prefix. Each request gets X-Forwarded-For (appended), -Proto and -Host;
 * hop-by-hop headers (RFC 9110 7.6.1) are dropped both ways. A connection keeps one upstream
 * connection and reuses it while the next request goes to the same replica, still in its set;
 * a reused one that fails before answering a bodiless request is retried once. Bodies stream
 * both ways at once through bounded buffers (sized or chunked; a response without either runs to
 * the backend's close: to an HTTP/1.1 client, unless HEAD, it is sent as chunks with
 * `Transfer-Encoding: chunked` and ended with the last chunk at that close, so the client's
 * connection is kept; to an HTTP/1.0 client it stays close-delimited and the client is closed).
 * Sockets are blocking with SO_RCVTIMEO: waiting for the next request head, or for a response
 * while nothing is to be sent either way, is one recv (a client that leaves meanwhile is seen
 * at the next send to it, or at --body-timeout-ms); everything else uses MSG_DONTWAIT, and
 * poll() only runs while bodies stream. 1xx are relayed; an Upgrade that gets 101
 * becomes a tunnel until either side closes. Smuggling attempts (see wbuild-http.h) get 400,
 * a head over the limits 431 (a request line over 8 KiB 414), a head not arrived in time 408,
 * all with the connection closed. No rule: 404 listing the routes. No ready replica after
 * --hold-ms (woken at once by a SET): 503 naming the workload, its state and `wbuild logs`,
 * Retry-After: 1. Every ready replica refusing, or not answering connects of 1 s each tried again
 * until the hold runs out (a full accept queue drops SYNs): 502. A backend
 * that fails mid-response (a re-chunked one too: never a clean last chunk), or a body that
 * stalls: the client is reset (SO_LINGER 0) so a cut-off response never looks complete.
 *
 * h2c: a connection that opens with the HTTP/2 prior-knowledge preface is routed by host alone:
 * the first header block is read and its `:authority` (or `host`) decoded (wbuild-h2-authority.h),
 * the first rule whose host takes it and whose workload was SET with `h2` wins, and the
 * connection goes to a ready replica (held like a request) with the bytes read so far replayed,
 * then tunnelled both ways until either side closes. No such rule: SETTINGS, GOAWAY
 * (HTTP_1_1_REQUIRED) and close.
 *
 * stderr: a line when the table or a workload's set changes, and for errors (rate-limited).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define WBUILD_LOG_PREFIX "wbuild-router: "
#include "wbuild-log.h"
#include "wbuild-control.h"
#include "wbuild-http.h"
#include "wbuild-h2-authority.h"
#include "wbuild-dns.h"

#define DEFAULT_LISTEN_PORT 8000
#define DEFAULT_CONTROL_PORT 47013
#define MAX_RULES 1024
#define MAX_WORKLOADS 1024
#define MAX_REPLICAS WBC_ROUTER_REPLICAS_MAX
#define MAX_TRACKED_ADDRESSES 4096
#define MAX_SUBSCRIBERS 8
#define MAX_CONTROL_CLIENTS 64
#define SUBSCRIBER_BUFFER (256 * 1024)
#define BUFFER_SIZE (64 * 1024)
#define RESPONSE_HEAD_MAX (32 * 1024)
/* Headers a response may have (more: 502), at least; a backend's Set-Cookie lines add up. */
#define RESPONSE_HEADERS_MIN 256
#define ADDED_HEADERS_MAX 4096
#define CONNECT_TIMEOUT_MS 1000
#define THREAD_STACK (256 * 1024)
#define EVENT_TARGET_MAX 1024
#define ERROR_LOG_MS 10000

/* ---- settings ---- */

static struct in_addr bind_address;
static int listen_port = DEFAULT_LISTEN_PORT;
static int control_port = DEFAULT_CONTROL_PORT;
static const char *secret_file = WBC_DEFAULT_SECRET_FILE;
static char secret[WBC_SECRET_LENGTH + 1];
static int have_secret = 0;
static long long hold_ms = 5000;
static long long idle_ms = 60000;
static long long header_timeout_ms = 10000;
static long long body_timeout_ms = 60000;
static long long max_header_bytes = 32768;
static long long max_headers = 100;

static long long now_ms(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static long long now_us(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

/* ---- routes, workloads and connection counts: one lock ---- */

struct rule {
    int workload; /* index into workloads */
    int exact;
    int strip;
    char *host; /* NULL: any */
    size_t host_length;
    char *path;
    size_t path_length;
};

struct table {
    char fingerprint[65];
    int count;
    struct rule rules[];
};

struct replica {
    char name[WBC_REPLICA_MAX + 1];
    struct in_addr address;
};

struct workload {
    char name[WBC_WORKLOAD_MAX + 1];
    int known; /* a SET named it */
    int port;
    int h2;
    char state[WBC_STATE_MAX + 1];
    struct replica replicas[MAX_REPLICAS];
    int count;
    unsigned next; /* round-robin */
};

struct tracked {
    struct in_addr address;
    int exchanges;
};

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t state_changed; /* CLOCK_MONOTONIC; broadcast on SET */
static struct table *live_table = NULL;
static struct workload workloads[MAX_WORKLOADS];
static int workload_count = 0;
static struct tracked tracked[MAX_TRACKED_ADDRESSES];
static int tracked_count = 0;

/* The workload's index, made (state unknown) if new; -1 when there are too many. Locked. */
static int workload_index(const char *name) {
    for (int index = 0; index < workload_count; index++) {
        if (strcmp(workloads[index].name, name) == 0) return index;
    }
    if (workload_count == MAX_WORKLOADS) return -1;
    struct workload *workload = &workloads[workload_count];
    memset(workload, 0, sizeof *workload);
    snprintf(workload->name, sizeof workload->name, "%s", name);
    strcpy(workload->state, "unknown");
    return workload_count++;
}

/* Counts one more (+1) or one fewer (-1) exchange to `address`. Locked. */
static void count_exchange(struct in_addr address, int delta) {
    int free_slot = -1;
    for (int index = 0; index < tracked_count; index++) {
        if (tracked[index].address.s_addr == address.s_addr) {
            tracked[index].exchanges += delta;
            return;
        }
        if (tracked[index].exchanges == 0 && free_slot < 0) free_slot = index;
    }
    if (delta < 0) return;
    if (free_slot < 0) {
        if (tracked_count == MAX_TRACKED_ADDRESSES) return;
        free_slot = tracked_count++;
    }
    tracked[free_slot] = (struct tracked){address, delta};
}

static int exchanges_to(struct in_addr address) {
    for (int index = 0; index < tracked_count; index++) {
        if (tracked[index].address.s_addr == address.s_addr) return tracked[index].exchanges;
    }
    return 0;
}

static void free_table(struct table *table) {
    if (table == NULL) return;
    for (int index = 0; index < table->count; index++) {
        free(table->rules[index].host);
        free(table->rules[index].path);
    }
    free(table);
}

/* ---- errors on stderr, at most one a kind per ERROR_LOG_MS ---- */

enum error_kind { ERROR_CONNECT, ERROR_RESOURCES, ERROR_KINDS };
static long long error_logged_at[ERROR_KINDS];
static int errors_unlogged[ERROR_KINDS];
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((format(printf, 2, 3)))
static void log_error(enum error_kind kind, const char *format, ...) {
    char text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    long long now = now_ms();
    pthread_mutex_lock(&log_lock);
    int due = error_logged_at[kind] == 0 || now - error_logged_at[kind] >= ERROR_LOG_MS;
    int skipped = errors_unlogged[kind];
    if (due) {
        error_logged_at[kind] = now;
        errors_unlogged[kind] = 0;
    } else {
        errors_unlogged[kind]++;
    }
    pthread_mutex_unlock(&log_lock);
    if (!due) return;
    if (skipped > 0) log_line("%s (and %d more like it)", text, skipped);
    else log_line("%s", text);
}

/* ---- EVENTS subscribers ---- */

struct subscriber {
    int active;
    char *buffer; /* SUBSCRIBER_BUFFER bytes, a ring */
    size_t start, length;
    unsigned long long dropped;
};

static pthread_mutex_t events_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t events_ready;
static struct subscriber subscribers[MAX_SUBSCRIBERS];
static atomic_int subscriber_count = 0;

static void publish(const char *line, size_t length) {
    pthread_mutex_lock(&events_lock);
    for (int index = 0; index < MAX_SUBSCRIBERS; index++) {
        struct subscriber *subscriber = &subscribers[index];
        if (!subscriber->active) continue;
        if (SUBSCRIBER_BUFFER - subscriber->length < length) {
            subscriber->dropped++;
            continue;
        }
        for (size_t at = 0; at < length; at++) {
            subscriber->buffer[(subscriber->start + subscriber->length + at) % SUBSCRIBER_BUFFER] = line[at];
        }
        subscriber->length += length;
    }
    pthread_cond_broadcast(&events_ready);
    pthread_mutex_unlock(&events_lock);
}

/* `REQ <method> <status> <micros> <workload|-> <replica|-> <target>`, when anyone listens. */
static void publish_request(const char *method, size_t method_length, int status, long long micros,
                            const char *workload, const char *replica, const char *target, size_t target_length) {
    if (atomic_load_explicit(&subscriber_count, memory_order_relaxed) == 0) return;
    char line[EVENT_TARGET_MAX + 256];
    if (target_length > EVENT_TARGET_MAX) target_length = EVENT_TARGET_MAX;
    int length = snprintf(line, sizeof line, "REQ %.*s %d %lld %s %s %.*s\n", (int)method_length, method, status, micros,
                          workload != NULL && workload[0] != '\0' ? workload : "-",
                          replica != NULL && replica[0] != '\0' ? replica : "-", (int)target_length, target);
    if (length > 0 && (size_t)length < sizeof line) publish(line, (size_t)length);
}

/* ---- sockets ---- */

static void set_no_delay(int fd) {
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static void reset_and_close(int fd) {
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    close(fd);
}

/* Client and backend sockets are blocking (a wait with nothing else to watch is one recv, bounded
 * by SO_RCVTIMEO); every call that must not wait says MSG_DONTWAIT. */
static ssize_t send_parts(int fd, struct iovec *parts, size_t count) {
    struct msghdr message = {.msg_iov = parts, .msg_iovlen = count};
    return sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void set_receive_timeout(int fd, long long ms) {
    struct timeval timeout = {.tv_sec = (time_t)(ms / 1000), .tv_usec = (suseconds_t)((ms % 1000) * 1000)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

/* Sends all of it, waiting up to `timeout` ms for room each time; -1 on failure. */
static int send_all(int fd, const char *data, size_t length, int timeout) {
    while (length > 0) {
        ssize_t sent = send(fd, data, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0) {
            data += sent;
            length -= (size_t)sent;
            continue;
        }
        if (sent < 0 && errno == EINTR) continue;
        if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd poller = {.fd = fd, .events = POLLOUT};
            if (poll(&poller, 1, timeout) <= 0) return -1;
            continue;
        }
        return -1;
    }
    return 0;
}

/* Closes after what was sent has gone: our side shut, what the peer still sends read and dropped
 * for a moment, so unread bytes do not turn the close into a reset that loses the answer. */
static void close_gracefully(int fd) {
    shutdown(fd, SHUT_WR);
    long long deadline = now_ms() + 1000;
    char scratch[4096];
    size_t drained = 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0 || drained > (1u << 20)) break;
        struct pollfd poller = {.fd = fd, .events = POLLIN};
        if (poll(&poller, 1, (int)left) <= 0) break;
        ssize_t got = recv(fd, scratch, sizeof scratch, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) break;
        drained += (size_t)got;
    }
    close(fd);
}

/* Connects to address:port within CONNECT_TIMEOUT_MS: the socket (blocking, receives bounded by
 * the body timeout), or -1 with errno. */
static int connect_to(struct in_addr address, int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    set_no_delay(fd);
    struct sockaddr_in target = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = address};
    int connected = connect(fd, (struct sockaddr *)&target, sizeof target) == 0;
    if (!connected && errno != EINPROGRESS) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (!connected) {
        struct pollfd poller = {.fd = fd, .events = POLLOUT};
        int ready;
        do ready = poll(&poller, 1, CONNECT_TIMEOUT_MS); while (ready < 0 && errno == EINTR);
        int error = 0;
        socklen_t length = sizeof error;
        if (ready == 0) error = ETIMEDOUT;
        else if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
        if (error != 0) {
            close(fd);
            errno = error;
            return -1;
        }
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    set_receive_timeout(fd, body_timeout_ms > 60000 ? 60000 : body_timeout_ms);
    return fd;
}

/* ---- a client connection ---- */

/* The upstream connection a client connection holds between requests. */
struct upstream {
    int fd; /* -1: none */
    int workload;
    struct in_addr address;
    int port;
    char replica[WBC_REPLICA_MAX + 1];
    int counted; /* counted in CONNS (during an exchange) */
};

struct connection {
    int fd;
    char peer[INET_ADDRSTRLEN];
    char *in; /* from the client */
    size_t in_size, in_start, in_end;
    char *up; /* from the backend */
    size_t up_start, up_end;
    char *head_out; /* the request head as sent on */
    size_t head_out_size, head_out_length, head_out_sent;
    char *response_out; /* the response head as sent back */
    size_t response_out_length, response_out_sent;
    struct wbh_head request;
    struct wbh_head response;
    struct upstream upstream;
    int response_started; /* a byte of the response went to the client */
    long long receive_timeout; /* the client socket's SO_RCVTIMEO in ms (0: none set) */
};

/* What the route of one request decided. */
struct route {
    int found;
    int workload;
    char workload_name[WBC_WORKLOAD_MAX + 1];
    size_t strip; /* bytes of the target stripped (0: none) */
};

/* The Host header normalised into `host` (lowercase, no port, no trailing dot); 0 if none. */
static size_t normalize_host(const char *value, size_t length, char *host, size_t size) {
    if (length >= size) length = size - 1;
    size_t out = 0;
    if (length > 0 && value[0] == '[') {
        const char *end = memchr(value, ']', length);
        if (end != NULL) length = (size_t)(end - value) + 1;
    } else {
        const char *colon = memrchr(value, ':', length);
        if (colon != NULL) length = (size_t)(colon - value);
    }
    for (size_t index = 0; index < length; index++) host[out++] = (char)wbh_lower((unsigned char)value[index]);
    while (out > 0 && host[out - 1] == '.') out--;
    host[out] = '\0';
    return out;
}

static int host_matches(const struct rule *rule, const char *host, size_t host_length, int has_host) {
    if (rule->host == NULL) return 1;
    if (!has_host) return 0;
    if (rule->host_length > 2 && rule->host[0] == '*' && rule->host[1] == '.') {
        size_t suffix = rule->host_length - 1; /* ".x.y" */
        if (host_length <= suffix || memcmp(host + host_length - suffix, rule->host + 1, suffix) != 0) return 0;
        return memchr(host, '.', host_length - suffix) == NULL;
    }
    return host_length == rule->host_length && memcmp(host, rule->host, host_length) == 0;
}

static int path_matches(const struct rule *rule, const char *path, size_t path_length) {
    if (rule->exact) return path_length == rule->path_length && memcmp(path, rule->path, path_length) == 0;
    if (rule->path_length == 1) return 1; /* "/" */
    if (path_length < rule->path_length || memcmp(path, rule->path, rule->path_length) != 0) return 0;
    return path_length == rule->path_length || path[rule->path_length] == '/';
}

/* The first rule of the live table that takes the request. Locked. */
static struct route match_route(const char *base, const struct wbh_head *request) {
    struct route route = {0};
    char host[256];
    size_t host_length = 0;
    int has_host = request->host_count > 0;
    if (has_host) host_length = normalize_host(base + request->host.offset, request->host.length, host, sizeof host);
    const char *target = base + request->target.offset;
    size_t path_length = 0;
    while (path_length < request->target.length && target[path_length] != '?' && target[path_length] != '#') path_length++;
    const char *path = path_length > 0 ? target : "/";
    if (path_length == 0) path_length = 1;
    struct table *table = live_table;
    for (int index = 0; table != NULL && index < table->count; index++) {
        const struct rule *rule = &table->rules[index];
        if (!host_matches(rule, host, host_length, has_host) || !path_matches(rule, path, path_length)) continue;
        route.found = 1;
        route.workload = rule->workload;
        strcpy(route.workload_name, workloads[rule->workload].name);
        if (rule->strip && !rule->exact && rule->path_length > 1) route.strip = rule->path_length;
        return route;
    }
    return route;
}

/* ---- answers the router makes ---- */

static const char *reason_phrase(int status) {
    switch (status) {
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 408: return "Request Timeout";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

/* Sends a text/plain answer; 0, or -1 when the client could not take it. */
static int answer(struct connection *connection, int status, const char *body, size_t body_length, int keep_alive,
                  const char *extra, int is_head) {
    char head[512];
    int length = snprintf(head, sizeof head,
                          "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: %zu\r\n%sConnection: %s\r\n\r\n",
                          status, reason_phrase(status), body_length, extra != NULL ? extra : "", keep_alive ? "keep-alive" : "close");
    struct iovec parts[2] = {{head, (size_t)length}, {(void *)body, is_head ? 0 : body_length}};
    ssize_t sent = send_parts(connection->fd, parts, 2);
    if (sent < 0) sent = 0;
    size_t total = (size_t)length + parts[1].iov_len;
    if ((size_t)sent == total) return 0;
    /* The rest, blocking a little. */
    if ((size_t)sent < (size_t)length) {
        if (send_all(connection->fd, head + sent, (size_t)length - (size_t)sent, 2000) != 0) return -1;
        sent = length;
    }
    return send_all(connection->fd, body + ((size_t)sent - (size_t)length), parts[1].iov_len - ((size_t)sent - (size_t)length), 2000);
}

/* The 404 body: every route, one a line. */
static size_t describe_routes(char *text, size_t size) {
    size_t length = (size_t)snprintf(text, size, "no route takes this request; the routes are:\n");
    pthread_mutex_lock(&state_lock);
    struct table *table = live_table;
    if (table == NULL || table->count == 0) length += (size_t)snprintf(text + length, size - length, "(none)\n");
    for (int index = 0; table != NULL && index < table->count && length + 1 < size; index++) {
        const struct rule *rule = &table->rules[index];
        int wrote = snprintf(text + length, size - length, "%s%s (%s%s) \xe2\x86\x92 %s\n", rule->host != NULL ? rule->host : "",
                             rule->path, rule->exact ? "exact" : "prefix", rule->strip ? ", prefix stripped" : "",
                             workloads[rule->workload].name);
        if (wrote < 0 || (size_t)wrote >= size - length) break;
        length += (size_t)wrote;
    }
    pthread_mutex_unlock(&state_lock);
    return length;
}

/* ---- picking a replica ---- */

/* The CLOCK_MONOTONIC time `ms` from now, for the condition variables (made monotonic in main). */
static struct timespec monotonic_after(long long ms) {
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000;
    if (until.tv_nsec >= 1000000000) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000;
    }
    return until;
}

/* Discovery (--discover) asks the name server every second; a refused connection to a
 * discovered replica asks at once (state_lock guards the flag): a rolling update's old task
 * leaves the name before the next tick, and the request waits for the new set instead of
 * failing. */
static pthread_cond_t discovery_wake;
static int discovery_wanted = 0;
#define DISCOVERY_RETRY_MS 2000

static int is_discovered(const char *workload);

/* The hold left after a refused connection: none for a workload wbuild sets (it says when a
 * replica goes), up to DISCOVERY_RETRY_MS (within `limit`) for a discovered one, whose name is
 * asked again now. */
static long long hold_after_refusal(const char *workload, long long limit) {
    if (!is_discovered(workload)) return 0;
    pthread_mutex_lock(&state_lock);
    discovery_wanted = 1;
    pthread_cond_signal(&discovery_wake);
    pthread_mutex_unlock(&state_lock);
    long long until = now_ms() + DISCOVERY_RETRY_MS;
    return until < limit ? until : limit;
}

/* Picks a replica of the route's workload, reusing the held upstream connection when it is to
 * one still in the set; waits up to hold_ms for one to be ready. 1 picked (counted), 0 none
 * (the state word in `state`). `tried`: addresses not to pick again for this request. */
static int pick_replica(struct connection *connection, const struct route *route, struct replica *chosen, int *port,
                        const struct in_addr *tried, int tried_count, long long hold_until, char state[WBC_STATE_MAX + 1]) {
    pthread_mutex_lock(&state_lock);
    struct workload *workload = &workloads[route->workload];
    for (;;) {
        if (workload->count > 0) {
            struct upstream *held = &connection->upstream;
            if (held->fd >= 0 && held->workload == route->workload && held->port == workload->port && tried_count == 0) {
                for (int index = 0; index < workload->count; index++) {
                    if (workload->replicas[index].address.s_addr == held->address.s_addr) {
                        *chosen = workload->replicas[index];
                        *port = workload->port;
                        count_exchange(chosen->address, 1);
                        pthread_mutex_unlock(&state_lock);
                        return 1;
                    }
                }
            }
            for (int step = 0; step < workload->count; step++) {
                int index = (int)((workload->next + (unsigned)step) % (unsigned)workload->count);
                int skip = 0;
                for (int t = 0; t < tried_count && !skip; t++) skip = tried[t].s_addr == workload->replicas[index].address.s_addr;
                if (skip) continue;
                workload->next = (unsigned)index + 1;
                *chosen = workload->replicas[index];
                *port = workload->port;
                count_exchange(chosen->address, 1);
                pthread_mutex_unlock(&state_lock);
                return 1;
            }
            /* Every one tried: give up, unless a refusal asked discovery for a fresh set. */
            if (tried_count > 0 && hold_until <= now_ms()) break;
        }
        long long left = hold_until - now_ms();
        if (left <= 0) break;
        struct timespec until = monotonic_after(left);
        pthread_cond_timedwait(&state_changed, &state_lock, &until);
    }
    snprintf(state, WBC_STATE_MAX + 1, "%s", workload->state);
    pthread_mutex_unlock(&state_lock);
    return 0;
}

static void uncount(struct upstream *upstream) {
    if (!upstream->counted) return;
    pthread_mutex_lock(&state_lock);
    count_exchange(upstream->address, -1);
    pthread_mutex_unlock(&state_lock);
    upstream->counted = 0;
}

static void drop_upstream(struct upstream *upstream, int reset) {
    uncount(upstream);
    if (upstream->fd >= 0) {
        if (reset) reset_and_close(upstream->fd);
        else close(upstream->fd);
    }
    upstream->fd = -1;
}

/* ---- heads sent on ---- */

static int hop_by_hop(const char *base, struct wbh_span name, int keep_upgrade) {
    return wbh_span_is(base, name, "connection") || wbh_span_is(base, name, "keep-alive")
           || wbh_span_is(base, name, "proxy-connection") || wbh_span_is(base, name, "te")
           || wbh_span_is(base, name, "trailer") || (!keep_upgrade && wbh_span_is(base, name, "upgrade"));
}

/* Headers that framing and routing rest on: never dropped for being named in Connection. */
static int protected_header(const char *base, struct wbh_span name) {
    return wbh_span_is(base, name, "host") || wbh_span_is(base, name, "content-length")
           || wbh_span_is(base, name, "transfer-encoding");
}

struct writer {
    char *data;
    size_t size, length;
    int overflow;
};

static void put(struct writer *writer, const char *bytes, size_t length) {
    if (writer->length + length > writer->size) {
        writer->overflow = 1;
        return;
    }
    memcpy(writer->data + writer->length, bytes, length);
    writer->length += length;
}

static void put_text(struct writer *writer, const char *text) { put(writer, text, strlen(text)); }

static void put_span(struct writer *writer, const char *base, struct wbh_span span) { put(writer, base + span.offset, span.length); }

/* The request head for the backend into head_out; -1 if it does not fit. */
static int build_request_head(struct connection *connection, const struct route *route, int upgrading) {
    const char *base = connection->in + connection->in_start;
    const struct wbh_head *request = &connection->request;
    struct writer writer = {connection->head_out, connection->head_out_size, 0, 0};
    put_span(&writer, base, request->method);
    put_text(&writer, " ");
    const char *target = base + request->target.offset;
    size_t target_length = request->target.length;
    if (route->strip > 0) {
        const char *rest = target + route->strip;
        size_t rest_length = target_length - route->strip;
        if (rest_length == 0 || rest[0] != '/') put_text(&writer, "/");
        put(&writer, rest, rest_length);
    } else {
        put(&writer, target, target_length);
    }
    put_text(&writer, request->minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
    int forwarded_for = 0;
    for (int index = 0; index < request->count; index++) {
        const struct wbh_header *header = &request->headers[index];
        if (wbh_span_is(base, header->name, "x-forwarded-for")) {
            put_text(&writer, forwarded_for ? ", " : "X-Forwarded-For: ");
            put_span(&writer, base, header->value);
            forwarded_for = 1;
        }
    }
    if (forwarded_for) {
        put_text(&writer, ", ");
    } else {
        put_text(&writer, "X-Forwarded-For: ");
    }
    put_text(&writer, connection->peer);
    put_text(&writer, "\r\n");
    for (int index = 0; index < request->count; index++) {
        const struct wbh_header *header = &request->headers[index];
        if (hop_by_hop(base, header->name, upgrading) || wbh_span_is(base, header->name, "x-forwarded-for")
            || wbh_span_is(base, header->name, "x-forwarded-proto") || wbh_span_is(base, header->name, "x-forwarded-host")
            || wbh_span_is(base, header->name, "x-forwarded-prefix")) continue;
        int kept = protected_header(base, header->name) || (upgrading && wbh_span_is(base, header->name, "upgrade"));
        if (!kept && wbh_named_in_connection(base, request, header->name)) continue;
        if (request->absolute && wbh_span_is(base, header->name, "host")) continue; /* the target's authority replaces it */
        put_span(&writer, base, header->name);
        put_text(&writer, ": ");
        put_span(&writer, base, header->value);
        put_text(&writer, "\r\n");
    }
    if (request->absolute) {
        put_text(&writer, "Host: ");
        put_span(&writer, base, request->host);
        put_text(&writer, "\r\n");
    }
    put_text(&writer, "X-Forwarded-Proto: http\r\n");
    if (request->host_count > 0) {
        put_text(&writer, "X-Forwarded-Host: ");
        put_span(&writer, base, request->host);
        put_text(&writer, "\r\n");
    }
    if (route->strip > 0) {
        put_text(&writer, "X-Forwarded-Prefix: ");
        put(&writer, target, route->strip);
        put_text(&writer, "\r\n");
    }
    put_text(&writer, upgrading ? "Connection: Upgrade\r\n\r\n" : "Connection: keep-alive\r\n\r\n");
    if (writer.overflow) return -1;
    connection->head_out_length = writer.length;
    connection->head_out_sent = 0;
    return 0;
}

/* The response head for the client into response_out (`base`: its bytes); -1 if it does not fit.
 * `connection_header`: NULL for an interim response, else the Connection value to send. */
static int build_response_head(struct connection *connection, const char *base, const char *connection_header, int upgraded,
                               int rechunked) {
    const struct wbh_head *response = &connection->response;
    struct writer writer = {connection->response_out, RESPONSE_HEAD_MAX + ADDED_HEADERS_MAX, 0, 0};
    char status[16];
    snprintf(status, sizeof status, "HTTP/1.1 %03d ", response->status);
    put_text(&writer, status);
    put_span(&writer, base, response->reason);
    put_text(&writer, "\r\n");
    for (int index = 0; index < response->count; index++) {
        const struct wbh_header *header = &response->headers[index];
        if (hop_by_hop(base, header->name, upgraded)) continue;
        int kept = protected_header(base, header->name) || (upgraded && wbh_span_is(base, header->name, "upgrade"));
        if (!kept && wbh_named_in_connection(base, response, header->name)) continue;
        put_span(&writer, base, header->name);
        put_text(&writer, ": ");
        put_span(&writer, base, header->value);
        put_text(&writer, "\r\n");
    }
    if (rechunked) put_text(&writer, "Transfer-Encoding: chunked\r\n");
    if (connection_header != NULL) {
        put_text(&writer, "Connection: ");
        put_text(&writer, connection_header);
        put_text(&writer, "\r\n");
    }
    put_text(&writer, "\r\n");
    if (writer.overflow) return -1;
    connection->response_out_length = writer.length;
    connection->response_out_sent = 0;
    return 0;
}

/* ---- one exchange: the request streamed on, the response streamed back ---- */

/* A chunk's size line (hex, CRLF) into `text`: its length. */
static size_t format_chunk_size(char text[24], size_t size) {
    char digits[20];
    size_t count = 0;
    do {
        digits[count++] = "0123456789abcdef"[size & 15];
        size >>= 4;
    } while (size != 0);
    for (size_t index = 0; index < count; index++) text[index] = digits[count - 1 - index];
    text[count] = '\r';
    text[count + 1] = '\n';
    return count + 2;
}

enum framing { FRAME_NONE, FRAME_LENGTH, FRAME_CHUNKED, FRAME_CLOSE, FRAME_TUNNEL };

struct body {
    enum framing framing;
    unsigned long long remaining;
    struct wbh_chunked chunked;
    int done;
};

static void body_start(struct body *body, enum framing framing, long long length) {
    memset(body, 0, sizeof *body);
    body->framing = framing;
    body->remaining = length > 0 ? (unsigned long long)length : 0;
    body->done = framing == FRAME_NONE || (framing == FRAME_LENGTH && length == 0);
}

/* How many of the `length` bytes belong to the body; -1 if the framing is bad. */
static long long body_feed(struct body *body, const char *data, size_t length) {
    if (body->done) return 0;
    switch (body->framing) {
    case FRAME_LENGTH: {
        size_t take = (unsigned long long)length < body->remaining ? length : (size_t)body->remaining;
        body->remaining -= take;
        if (body->remaining == 0) body->done = 1;
        return (long long)take;
    }
    case FRAME_CHUNKED: {
        size_t take = wbh_chunked_feed(&body->chunked, data, length);
        if (body->chunked.state == WBH_CHUNK_BAD) return -1;
        if (body->chunked.state == WBH_CHUNK_DONE) body->done = 1;
        return (long long)take;
    }
    case FRAME_CLOSE:
    case FRAME_TUNNEL:
        return (long long)length;
    default:
        return 0;
    }
}

enum outcome {
    KEEP,           /* the client connection can carry its next request */
    CLOSE,          /* close it gracefully */
    RESET,          /* reset it */
    RETRY,          /* the reused upstream failed before answering: try a fresh one */
    UPSTREAM_FAILED, /* no byte of an answer came: 502 */
    BAD_BODY,       /* the request's chunked framing is bad, nothing answered yet: 400 */
};

/* Streams one exchange on connection->upstream.fd: head_out, the request's body from `in`,
 * the response back. On return the body's bytes are consumed from `in` (in_start moved). */
static enum outcome pump(struct connection *connection, int *status, int reused, int head_method, int upgrade_requested,
                         int client_keep_alive, int raw) {
    int client = connection->fd, backend = connection->upstream.fd;
    struct body request_body, response_body;
    const struct wbh_head *request = &connection->request;
    if (request->chunked) body_start(&request_body, FRAME_CHUNKED, 0);
    else if (request->content_length > 0) body_start(&request_body, FRAME_LENGTH, request->content_length);
    else body_start(&request_body, FRAME_NONE, 0);
    body_start(&response_body, FRAME_NONE, 0);
    int request_has_body = !request_body.done;
    size_t framed = connection->in_start; /* in[in_start..framed): body bytes to send on */
    enum { HEAD, BODY, DONE } response_state = HEAD;
    int tunnel = 0, client_eof = 0, backend_eof = 0, backend_failed = 0, client_shut = 0, backend_shut = 0;
    int got_response_byte = 0, backend_keep_alive = 0, close_client = 0;
    size_t up_framed = 0;
    connection->up_start = connection->up_end = 0;
    connection->response_out_length = connection->response_out_sent = 0;
    connection->response_started = 0;
    long long last_progress = now_ms();
    /* Whether a call may find something: cleared by EAGAIN, set again by poll, so no call is
     * made that is known to fail (the backend has nothing to say before it got the head). */
    int client_readable = 1, client_writable = 1, backend_readable = 0, backend_writable = 1;
    /* The next backend recv may block (SO_RCVTIMEO): the backend is all there is to wait for. */
    int wait_backend = 0;
    /* Re-chunking a close-delimited response: the current chunk's size line, its data bytes
     * still to send (from up_start) and its CRLF; the last chunk (size 0) once the body ended. */
    int rechunk = 0, chunk_open = 0, chunk_terminated = 0;
    char chunk_head[24];
    size_t chunk_head_length = 0, chunk_head_sent = 0, chunk_left = 0, chunk_tail_sent = 0;
    if (raw) { /* a tunnel from the first byte: h2c */
        tunnel = 1;
        response_state = BODY;
        body_start(&response_body, FRAME_TUNNEL, 0);
    }
/* The backend failed: before any byte of an answer a bodiless request on a reused connection is
 * tried again, else 502; after, the client is reset. */
#define BACKEND_GONE() \
    (!got_response_byte && reused && !request_has_body ? RETRY : connection->response_started ? RESET : UPSTREAM_FAILED)

    for (;;) {
        int progress = 0;
        /* Frame what the client sent. */
        if (tunnel) {
            framed = connection->in_end;
        } else if (!request_body.done && framed < connection->in_end) {
            long long taken = body_feed(&request_body, connection->in + framed, connection->in_end - framed);
            if (taken < 0) return connection->response_started ? RESET : BAD_BODY;
            framed += (size_t)taken;
        }
        /* Send on: the head, then the framed body. */
        if (backend_writable && (connection->head_out_sent < connection->head_out_length || connection->in_start < framed)) {
            struct iovec parts[2] = {
                {connection->head_out + connection->head_out_sent, connection->head_out_length - connection->head_out_sent},
                {connection->in + connection->in_start, framed - connection->in_start}};
            ssize_t sent = send_parts(backend, parts, 2);
            if (sent < 0 && errno == EAGAIN) backend_writable = 0;
            if (sent > 0) {
                progress = 1;
                size_t head_part = parts[0].iov_len < (size_t)sent ? parts[0].iov_len : (size_t)sent;
                connection->head_out_sent += head_part;
                connection->in_start += (size_t)sent - head_part;
            } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
                return BACKEND_GONE();
            }
        }
        if (tunnel && client_eof && connection->in_start == connection->in_end && !backend_shut) {
            shutdown(backend, SHUT_WR);
            backend_shut = 1;
        }
        /* Read from the client: the body, or tunnel bytes. */
        int reading_client = !client_eof && (tunnel || !request_body.done);
        if (reading_client && connection->in_start > 0 && (connection->in_end == connection->in_size || connection->in_start == connection->in_end)) {
            memmove(connection->in, connection->in + connection->in_start, connection->in_end - connection->in_start);
            framed -= connection->in_start;
            connection->in_end -= connection->in_start;
            connection->in_start = 0;
        }
        if (reading_client && client_readable && connection->in_end < connection->in_size) {
            ssize_t got = recv(client, connection->in + connection->in_end, connection->in_size - connection->in_end, MSG_DONTWAIT);
            if (got < 0 && errno == EAGAIN) client_readable = 0;
            if (got > 0) {
                connection->in_end += (size_t)got;
                progress = 1;
            } else if (got == 0) {
                client_eof = 1;
                progress = 1;
                if (!tunnel) return RESET; /* the client went away in the middle of its body */
            } else if (errno != EAGAIN && errno != EINTR) {
                return RESET;
            }
        }
        /* Read from the backend. */
        if (connection->up_start > 0 && (connection->up_end == BUFFER_SIZE || connection->up_start == connection->up_end)) {
            memmove(connection->up, connection->up + connection->up_start, connection->up_end - connection->up_start);
            up_framed -= connection->up_start;
            connection->up_end -= connection->up_start;
            connection->up_start = 0;
        }
        if (!backend_eof && backend_readable && response_state != DONE && connection->up_end < BUFFER_SIZE) {
            ssize_t got = recv(backend, connection->up + connection->up_end, BUFFER_SIZE - connection->up_end,
                               wait_backend ? 0 : MSG_DONTWAIT);
            wait_backend = 0;
            if (got < 0 && errno == EAGAIN) backend_readable = 0;
            if (got > 0) {
                connection->up_end += (size_t)got;
                got_response_byte = 1;
                progress = 1;
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                backend_eof = 1;
                backend_failed = got < 0;
                progress = 1;
                if (backend_failed && response_state != HEAD) return RESET;
            }
        }
        /* Parse a response head once the previous one went out. */
        while (response_state == HEAD && connection->response_out_length == 0 && connection->up_start < connection->up_end) {
            struct wbh_head *response = &connection->response;
            int parsed = wbh_parse_response(connection->up + connection->up_start, connection->up_end - connection->up_start,
                                            RESPONSE_HEAD_MAX, response);
            if (parsed == 0) break;
            if (parsed < 0) return connection->response_started ? RESET : UPSTREAM_FAILED;
            const char *base = connection->up + connection->up_start;
            *status = response->status;
            if (response->status == 101) {
                if (!upgrade_requested || !response->has_upgrade) return connection->response_started ? RESET : UPSTREAM_FAILED;
                if (build_response_head(connection, base, "Upgrade", 1, 0) != 0) return UPSTREAM_FAILED;
                tunnel = 1;
                response_state = BODY;
                body_start(&response_body, FRAME_TUNNEL, 0);
            } else if (response->status < 200) {
                if (build_response_head(connection, base, NULL, 0, 0) != 0) return UPSTREAM_FAILED;
            } else {
                enum framing framing;
                if (head_method || response->status == 204 || response->status == 304) framing = FRAME_NONE;
                else if (response->chunked) framing = FRAME_CHUNKED;
                else if (response->content_length >= 0 && !response->bad_coding) framing = FRAME_LENGTH;
                else framing = FRAME_CLOSE;
                body_start(&response_body, framing, response->content_length);
                backend_keep_alive = framing != FRAME_CLOSE
                                     && (response->minor == 1 ? !(response->connection & WBH_CONNECTION_CLOSE)
                                                              : (response->connection & WBH_CONNECTION_KEEP_ALIVE) != 0);
                /* A close-delimited body goes to an HTTP/1.1 client as chunks, ended at the
                 * backend's close, so the client's connection outlives it. */
                rechunk = framing == FRAME_CLOSE && !response->bad_coding && request->minor == 1;
                close_client = !client_keep_alive || (framing == FRAME_CLOSE && !rechunk);
                if (build_response_head(connection, base, close_client ? "close" : "keep-alive", 0, rechunk) != 0) return UPSTREAM_FAILED;
                response_state = response_body.done ? DONE : BODY;
            }
            connection->up_start += connection->response.length;
            up_framed = connection->up_start;
        }
        if (response_state == HEAD) {
            up_framed = connection->up_start;
            if (backend_eof && connection->response_out_length == 0) return BACKEND_GONE();
        }
        /* Frame the response body. */
        if (response_state == BODY && up_framed < connection->up_end) {
            long long taken = body_feed(&response_body, connection->up + up_framed, connection->up_end - up_framed);
            if (taken < 0) return RESET;
            up_framed += (size_t)taken;
            if (response_body.done) response_state = DONE;
        }
        if (response_state == BODY && backend_eof && response_body.framing == FRAME_CLOSE) response_state = DONE;
        /* Re-chunking: open a chunk of what is framed, or the last one once the body ended. */
        if (rechunk && !chunk_open && !chunk_terminated && (connection->up_start < up_framed || response_state == DONE)) {
            chunk_left = up_framed - connection->up_start;
            chunk_head_length = format_chunk_size(chunk_head, chunk_left);
            chunk_head_sent = chunk_tail_sent = 0;
            chunk_open = 1;
            if (chunk_left == 0) chunk_terminated = 1;
        }
        /* Send back: the head, then the framed body (as chunks when re-chunking). */
        int back_pending = connection->response_out_length > 0 || (rechunk ? chunk_open : connection->up_start < up_framed);
        if (client_writable && back_pending) {
            struct iovec parts[4] = {
                {connection->response_out + connection->response_out_sent, connection->response_out_length - connection->response_out_sent},
                {chunk_head + chunk_head_sent, chunk_open ? chunk_head_length - chunk_head_sent : 0},
                {connection->up + connection->up_start, rechunk ? chunk_left : up_framed - connection->up_start},
                {(void *)("\r\n" + chunk_tail_sent), chunk_open ? 2 - chunk_tail_sent : 0}};
            ssize_t sent = send_parts(client, parts, 4);
            if (sent < 0 && errno == EAGAIN) client_writable = 0;
            if (sent > 0) {
                progress = 1;
                connection->response_started = 1;
                size_t left_over = (size_t)sent;
                size_t take = parts[0].iov_len < left_over ? parts[0].iov_len : left_over;
                connection->response_out_sent += take;
                left_over -= take;
                take = parts[1].iov_len < left_over ? parts[1].iov_len : left_over;
                chunk_head_sent += take;
                left_over -= take;
                take = parts[2].iov_len < left_over ? parts[2].iov_len : left_over;
                connection->up_start += take;
                if (rechunk) chunk_left -= take;
                left_over -= take;
                chunk_tail_sent += left_over;
                if (chunk_open && chunk_tail_sent == 2) chunk_open = 0;
                if (connection->response_out_sent == connection->response_out_length) {
                    connection->response_out_sent = connection->response_out_length = 0;
                }
            } else if (sent < 0 && errno != EAGAIN && errno != EINTR) {
                return RESET;
            }
        }
        int flushed_back = connection->response_out_length == 0 && connection->up_start == up_framed && !chunk_open
                           && (!rechunk || response_state != DONE || chunk_terminated);
        if (tunnel) {
            if (backend_eof && flushed_back && !client_shut) {
                shutdown(client, SHUT_WR);
                client_shut = 1;
            }
            if (client_shut && backend_shut) return CLOSE;
        } else if (response_state == DONE && flushed_back) {
            if (!request_body.done || connection->in_start < framed || connection->head_out_sent < connection->head_out_length) {
                /* Answered before the request was all sent: the rest cannot be read as a next request. */
                drop_upstream(&connection->upstream, 0);
                return CLOSE;
            }
            if (connection->up_end > up_framed || !backend_keep_alive) drop_upstream(&connection->upstream, 0);
            return close_client ? CLOSE : KEEP;
        } else if (backend_eof && response_state == BODY && flushed_back) {
            return RESET; /* cut short: the body needed more */
        }
        if (progress) {
            last_progress = now_ms();
            continue;
        }
        /* Wait for something to do. A side with nothing to wait for is still watched for a
         * hang-up or error while it is open. */
        struct pollfd pollers[2] = {{.fd = client}, {.fd = backend}};
        if (!client_eof && (tunnel || !request_body.done) && connection->in_end < connection->in_size) pollers[0].events |= POLLIN;
        if (connection->response_out_length > 0 || connection->up_start < up_framed || chunk_open) pollers[0].events |= POLLOUT;
        if (!backend_eof && response_state != DONE && connection->up_end < BUFFER_SIZE) pollers[1].events |= POLLIN;
        if (connection->head_out_sent < connection->head_out_length || connection->in_start < framed) pollers[1].events |= POLLOUT;
        if (pollers[0].events == 0 && (client_eof || client_shut)) pollers[0].fd = -1;
        if (pollers[1].events == 0 && (backend_eof || backend_shut)) pollers[1].fd = -1;
        long long left = last_progress + body_timeout_ms - now_ms();
        if (left <= 0) return RESET;
        if (!tunnel && pollers[0].events == 0 && pollers[1].events == POLLIN) {
            /* Waiting for the response (or more of it) with nothing to send either way: one
             * blocking recv instead of poll and recv. A client that leaves meanwhile is seen
             * at the next send to it. */
            backend_readable = 1;
            wait_backend = 1;
            continue;
        }
        int ready = poll(pollers, 2, (int)(left > 60000 ? 60000 : left));
        if (ready < 0 && errno != EINTR) return RESET;
        if (pollers[0].revents & (POLLIN | POLLHUP | POLLERR)) client_readable = 1;
        if (pollers[0].revents & (POLLOUT | POLLHUP | POLLERR)) client_writable = 1;
        if (pollers[1].revents & (POLLIN | POLLHUP | POLLERR)) backend_readable = 1;
        if (pollers[1].revents & (POLLOUT | POLLHUP | POLLERR)) backend_writable = 1;
        if ((pollers[0].revents & (POLLERR | POLLHUP | POLLNVAL)) && !(pollers[0].events & POLLIN)) return RESET;
        if ((pollers[1].revents & (POLLERR | POLLHUP | POLLNVAL)) && !(pollers[1].events & POLLIN)) {
            if (response_state == HEAD && !connection->response_started) return BACKEND_GONE();
            return RESET;
        }
    }
#undef BACKEND_GONE
}

/* ---- a client connection's requests ---- */

/* Reads a whole request head into `in` (after what is left there). 1 parsed, 0 the client left or
 * idled out (close silently), or -status. */
static int read_head(struct connection *connection, int first) {
    if (connection->in_start > 0) {
        memmove(connection->in, connection->in + connection->in_start, connection->in_end - connection->in_start);
        connection->in_end -= connection->in_start;
        connection->in_start = 0;
    }
    long long started = connection->in_end > 0 ? now_ms() : 0;
    long long idle_until = now_ms() + idle_ms;
    for (;;) {
        if (first && connection->in_end > 0 && wbh2_is_preface(connection->in, connection->in_end)) {
            if (connection->in_end >= WBH2_PREFACE_LENGTH) return 2; /* HTTP/2 prior knowledge */
            if (started == 0) started = now_ms();
        } else if (connection->in_end > 0) {
            int parsed = wbh_parse_request(connection->in, connection->in_end, (size_t)max_header_bytes, &connection->request);
            if (parsed != 0) return parsed;
            if (started == 0) started = now_ms();
        }
        long long deadline = started != 0 ? started + header_timeout_ms : idle_until;
        long long left = deadline - now_ms();
        if (left <= 0) return started != 0 ? -408 : 0;
        if (connection->in_end == connection->in_size) return -431;
        /* One blocking recv, bounded by SO_RCVTIMEO; set again only when the wait it bounds is
         * shorter than what is set, or much longer (a timeout returns EAGAIN: looped). */
        if (connection->receive_timeout == 0 || connection->receive_timeout > left + 2 || connection->receive_timeout < left - 50) {
            set_receive_timeout(connection->fd, left);
            connection->receive_timeout = left;
        }
        ssize_t got = recv(connection->fd, connection->in + connection->in_end, connection->in_size - connection->in_end, 0);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) return 0;
        connection->in_end += (size_t)got;
    }
}

/* What a finished request's event line says of it, copied before its head's bytes are reused. */
struct request_note {
    char method[33];
    size_t method_length;
    char target[EVENT_TARGET_MAX];
    size_t target_length;
    long long started;
};

static void note_request(struct request_note *note, const char *base, const struct wbh_head *request) {
    note->started = now_us();
    note->method_length = note->target_length = 0;
    if (atomic_load_explicit(&subscriber_count, memory_order_relaxed) == 0) return;
    note->method_length = request->method.length < 32 ? request->method.length : 32;
    memcpy(note->method, base + request->method.offset, note->method_length);
    note->target_length = request->target.length < EVENT_TARGET_MAX ? request->target.length : EVENT_TARGET_MAX;
    memcpy(note->target, base + request->target.offset, note->target_length);
}

static void publish_note(const struct request_note *note, int status, const char *workload, const char *replica) {
    if (note->method_length == 0) return;
    publish_request(note->method, note->method_length, status, now_us() - note->started, workload, replica, note->target,
                    note->target_length);
}

/* Serves one parsed request; 0 to go on with the next, -1 to close (gracefully), -2 to reset. */
static int serve_request(struct connection *connection) {
    struct wbh_head *request = &connection->request;
    const char *base = connection->in; /* in_start is 0 after read_head */
    struct request_note note;
    note_request(&note, base, request);
    int head_method = request->method.length == 4 && memcmp(base + request->method.offset, "HEAD", 4) == 0;
    int client_keep_alive = request->minor == 1 ? !(request->connection & WBH_CONNECTION_CLOSE)
                                                : (request->connection & WBH_CONNECTION_KEEP_ALIVE) != 0;
    int upgrade_requested = request->has_upgrade && (request->connection & WBH_CONNECTION_UPGRADE);
    int has_body = request->chunked || request->content_length > 0;
    /* The router's own answers leave a body unread: the connection cannot go on after them. */
    int answer_keeps = client_keep_alive && !has_body;

    pthread_mutex_lock(&state_lock);
    struct route route = match_route(base, request);
    pthread_mutex_unlock(&state_lock);
    if (!route.found) {
        char text[16384];
        size_t length = describe_routes(text, sizeof text);
        int failed = answer(connection, 404, text, length, answer_keeps, NULL, head_method);
        publish_note(&note, 404, NULL, NULL);
        connection->in_start = request->length;
        return failed != 0 ? -2 : answer_keeps ? 0 : -1;
    }
    if (build_request_head(connection, &route, upgrade_requested) != 0) {
        static const char text[] = "request head too large to forward\n";
        (void)answer(connection, 431, text, sizeof text - 1, 0, NULL, head_method);
        publish_note(&note, 431, route.workload_name, NULL);
        return -1;
    }
    connection->in_start = request->length;

    struct in_addr tried[MAX_REPLICAS];
    int tried_count = 0;
    long long hold_until = now_ms() + hold_ms;
    /* A connect that times out is tried again while the hold lasts: a busy replica's full accept
     * queue drops SYNs, which a fresh connect a second later gets through. */
    const long long connect_until = hold_until;
    char failures[1024];
    size_t failures_length = 0;
    int retried = 0;
    for (;;) {
        struct replica replica;
        int port = 0;
        char state[WBC_STATE_MAX + 1];
        if (!pick_replica(connection, &route, &replica, &port, tried, tried_count, hold_until, state)) {
            char text[2048];
            int status = tried_count > 0 ? 502 : 503;
            int length;
            if (status == 503) {
                length = snprintf(text, sizeof text, "%s has no ready replica (%s) after %lld ms; see `wbuild logs %s`\n",
                                  route.workload_name, state, hold_ms, route.workload_name);
            } else {
                length = snprintf(text, sizeof text, "%s: no replica answered: %.*s\n", route.workload_name, (int)failures_length, failures);
            }
            int failed = answer(connection, status, text, (size_t)length, answer_keeps, status == 503 ? "Retry-After: 1\r\n" : NULL,
                                head_method);
            publish_note(&note, status, route.workload_name, NULL);
            return failed != 0 ? -2 : answer_keeps ? 0 : -1;
        }
        struct upstream *upstream = &connection->upstream;
        int reused = upstream->fd >= 0 && upstream->workload == route.workload && upstream->address.s_addr == replica.address.s_addr
                     && upstream->port == port;
        if (!reused) {
            if (upstream->fd >= 0) close(upstream->fd);
            upstream->fd = -1;
            int fd = connect_to(replica.address, port);
            if (fd < 0) {
                int error = errno;
                char address[INET_ADDRSTRLEN];
                inet_ntop(AF_INET, &replica.address, address, sizeof address);
                log_error(ERROR_CONNECT, "%s replica %s (%s:%d): %s", route.workload_name, replica.name, address, port, strerror(error));
                pthread_mutex_lock(&state_lock);
                count_exchange(replica.address, -1);
                pthread_mutex_unlock(&state_lock);
                hold_until = hold_after_refusal(route.workload_name, connect_until); /* a refusal is no reason to wait, but for news */
                if (error == ETIMEDOUT && now_ms() + CONNECT_TIMEOUT_MS <= connect_until) continue;
                int wrote = snprintf(failures + failures_length, sizeof failures - failures_length, "%sreplica %s (%s:%d) %s",
                                     failures_length > 0 ? "; " : "", replica.name, address, port,
                                     error == ETIMEDOUT ? "did not answer within 1 s, tried again while the hold lasted"
                                     : error == ECONNREFUSED ? "refused the connection" : strerror(error));
                if (wrote > 0 && (size_t)wrote < sizeof failures - failures_length) failures_length += (size_t)wrote;
                if (tried_count < MAX_REPLICAS) tried[tried_count++] = replica.address;
                continue;
            }
            upstream->fd = fd;
        }
        upstream->workload = route.workload;
        upstream->address = replica.address;
        upstream->port = port;
        snprintf(upstream->replica, sizeof upstream->replica, "%s", replica.name);
        upstream->counted = 1;
        connection->head_out_sent = 0;
        int status = 502;
        enum outcome outcome = pump(connection, &status, reused && !retried, head_method, upgrade_requested, client_keep_alive, 0);
        if (outcome == RETRY) {
            drop_upstream(upstream, 0);
            retried = 1;
            continue;
        }
        if (outcome == UPSTREAM_FAILED || outcome == BAD_BODY) {
            drop_upstream(upstream, 1);
            char text[512];
            int length = outcome == BAD_BODY
                             ? snprintf(text, sizeof text, "bad chunked framing in the request body\n")
                             : snprintf(text, sizeof text, "%s: replica %s closed the connection without an answer\n",
                                        route.workload_name, replica.name);
            status = outcome == BAD_BODY ? 400 : 502;
            (void)answer(connection, status, text, (size_t)length, 0, NULL, head_method);
            publish_note(&note, status, route.workload_name, replica.name);
            return -1;
        }
        publish_note(&note, status, route.workload_name, replica.name);
        if (outcome == RESET) {
            drop_upstream(upstream, 1);
            return -2;
        }
        uncount(upstream); /* idle now (or dropped already) */
        if (outcome == CLOSE) {
            drop_upstream(upstream, 0);
            return -1;
        }
        return 0;
    }
}


/* ---- h2c: HTTP/2 with prior knowledge, routed by host and tunnelled whole ---- */

/* Tells an HTTP/2 client no (a SETTINGS frame, as the server's preface must be, then GOAWAY
 * with HTTP_1_1_REQUIRED) and closes. */
static void refuse_h2(struct connection *connection) {
    static const unsigned char frames[] = {
        0, 0, 0, 0x4, 0, 0, 0, 0, 0,                          /* SETTINGS, empty */
        0, 0, 8, 0x7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xd, /* GOAWAY: last stream 0, HTTP_1_1_REQUIRED */
    };
    (void)send_all(connection->fd, (const char *)frames, sizeof frames, 2000);
}

/* The first rule whose host takes `authority` and whose workload speaks h2. Locked. */
static struct route match_h2_route(const char *authority, size_t length) {
    struct route route = {0};
    char host[256];
    size_t host_length = normalize_host(authority, length, host, sizeof host);
    struct table *table = live_table;
    for (int index = 0; table != NULL && index < table->count; index++) {
        const struct rule *rule = &table->rules[index];
        if (!workloads[rule->workload].h2 || !host_matches(rule, host, host_length, 1)) continue;
        route.found = 1;
        route.workload = rule->workload;
        strcpy(route.workload_name, workloads[rule->workload].name);
        return route;
    }
    return route;
}

/* Serves a connection that opened with the HTTP/2 preface; returns as serve_request does. */
static int serve_h2(struct connection *connection) {
    struct wbh2_decoder *decoder = malloc(sizeof *decoder);
    if (decoder == NULL) return -1;
    char authority[256];
    size_t authority_length = 0;
    long long deadline = now_ms() + header_timeout_ms;
    int result;
    for (;;) {
        result = wbh2_authority((const uint8_t *)connection->in, connection->in_end, decoder, authority, sizeof authority,
                                &authority_length);
        if (result != WBH2_NEED_MORE || connection->in_end == connection->in_size) break;
        long long left = deadline - now_ms();
        struct pollfd poller = {.fd = connection->fd, .events = POLLIN};
        if (left <= 0 || poll(&poller, 1, (int)left) <= 0) break;
        ssize_t got = recv(connection->fd, connection->in + connection->in_end, connection->in_size - connection->in_end, MSG_DONTWAIT);
        if (got < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (got <= 0) {
            free(decoder);
            return -1;
        }
        connection->in_end += (size_t)got;
    }
    free(decoder);
    struct route route = {0};
    if (result == WBH2_FOUND) {
        pthread_mutex_lock(&state_lock);
        route = match_h2_route(authority, authority_length);
        pthread_mutex_unlock(&state_lock);
    }
    if (!route.found) {
        refuse_h2(connection);
        return -1;
    }
    struct in_addr tried[MAX_REPLICAS];
    int tried_count = 0;
    long long hold_until = now_ms() + hold_ms;
    for (;;) {
        struct replica replica;
        int port = 0;
        char state[WBC_STATE_MAX + 1];
        if (!pick_replica(connection, &route, &replica, &port, tried, tried_count, hold_until, state)) {
            refuse_h2(connection);
            return -1;
        }
        int fd = connect_to(replica.address, port);
        if (fd < 0) {
            int error = errno;
            char address[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &replica.address, address, sizeof address);
            log_error(ERROR_CONNECT, "%s replica %s (%s:%d): %s", route.workload_name, replica.name, address, port, strerror(error));
            pthread_mutex_lock(&state_lock);
            count_exchange(replica.address, -1);
            pthread_mutex_unlock(&state_lock);
            if (tried_count < MAX_REPLICAS) tried[tried_count++] = replica.address;
            hold_until = hold_after_refusal(route.workload_name, now_ms() + hold_ms);
            continue;
        }
        struct upstream *upstream = &connection->upstream;
        upstream->fd = fd;
        upstream->workload = route.workload;
        upstream->address = replica.address;
        upstream->port = port;
        snprintf(upstream->replica, sizeof upstream->replica, "%s", replica.name);
        upstream->counted = 1;
        connection->head_out_length = connection->head_out_sent = 0;
        int status = 0;
        enum outcome outcome = pump(connection, &status, 0, 0, 0, 0, 1);
        drop_upstream(upstream, outcome == RESET);
        return outcome == RESET ? -2 : -1;
    }
}

static void *serve_client(void *argument) {
    struct connection *connection = argument;
    for (int first = 1;; first = 0) {
        int parsed = read_head(connection, first);
        if (parsed == 2) {
            int served = serve_h2(connection);
            if (served == -2) reset_and_close(connection->fd);
            else close_gracefully(connection->fd);
            break;
        }
        if (parsed == 0) {
            close(connection->fd);
            break;
        }
        if (parsed < 0) {
            int status = -parsed;
            char text[128];
            int length = snprintf(text, sizeof text, "%s\n", reason_phrase(status));
            if (answer(connection, status, text, (size_t)length, 0, NULL, 0) == 0) close_gracefully(connection->fd);
            else close(connection->fd);
            break;
        }
        int served = serve_request(connection);
        if (served == -2) {
            reset_and_close(connection->fd);
            break;
        }
        if (served == -1) {
            close_gracefully(connection->fd);
            break;
        }
    }
    drop_upstream(&connection->upstream, 0);
    free(connection->in);
    free(connection);
    return NULL;
}

static struct connection *new_connection(int fd, const struct sockaddr_in *peer) {
    size_t in_size = (size_t)max_header_bytes + 1 > BUFFER_SIZE ? (size_t)max_header_bytes + 1 : BUFFER_SIZE;
    size_t head_out_size = (size_t)max_header_bytes + ADDED_HEADERS_MAX + 16384;
    size_t response_out_size = RESPONSE_HEAD_MAX + ADDED_HEADERS_MAX;
    size_t headers = (size_t)(max_headers > RESPONSE_HEADERS_MIN ? max_headers : RESPONSE_HEADERS_MIN) + 1;
    struct connection *connection = calloc(1, sizeof *connection);
    char *memory = malloc(in_size + BUFFER_SIZE + head_out_size + response_out_size + 2 * headers * sizeof(struct wbh_header));
    if (connection == NULL || memory == NULL) {
        free(connection);
        free(memory);
        return NULL;
    }
    connection->fd = fd;
    inet_ntop(AF_INET, &peer->sin_addr, connection->peer, sizeof connection->peer);
    connection->in = memory;
    connection->in_size = in_size;
    connection->up = memory + in_size;
    connection->head_out = connection->up + BUFFER_SIZE;
    connection->head_out_size = head_out_size;
    connection->response_out = connection->head_out + head_out_size;
    struct wbh_header *header_memory = (struct wbh_header *)(void *)(connection->response_out + response_out_size);
    connection->request.headers = header_memory;
    connection->request.capacity = (int)max_headers;
    connection->response.headers = header_memory + headers;
    connection->response.capacity = (int)headers - 1; /* a response with more: 502 */
    connection->upstream.fd = -1;
    return connection;
}

/* ---- control connections ---- */

static atomic_int control_count = 0;

struct control {
    int fd; /* -1: the router's own (arguments, discovery), whose replies go to last_reply */
    char last_reply[256];
    struct wbc_parser parser;
    struct wbc_request request;
    struct table *staging;
    char in[WBC_LINE_MAX + 1];
    size_t in_length;
};

static int reply(struct control *control, const char *format, ...) __attribute__((format(printf, 2, 3)));
static int reply(struct control *control, const char *format, ...) {
    char line[1024];
    va_list args;
    va_start(args, format);
    int length = vsnprintf(line, sizeof line - 1, format, args);
    va_end(args);
    if (length < 0) return -1;
    if ((size_t)length > sizeof line - 2) length = (int)sizeof line - 2;
    line[length++] = '\n';
    if (control->fd < 0) {
        snprintf(control->last_reply, sizeof control->last_reply, "%.*s", length - 1, line);
        return 0;
    }
    return send_all(control->fd, line, (size_t)length, 10000);
}

static int command_route(struct control *control, char *arguments) {
    if (control->staging == NULL) return reply(control, "ERR ROUTE before BEGIN");
    if (control->staging->count == MAX_RULES) return reply(control, "ERR too many rules (at most %d)", MAX_RULES);
    char *cursor = NULL;
    char *name = strtok_r(arguments, " ", &cursor);
    char *match = strtok_r(NULL, " ", &cursor);
    char *host = strtok_r(NULL, " ", &cursor);
    char *strip = strtok_r(NULL, " ", &cursor);
    char *path = strtok_r(NULL, " ", &cursor);
    pthread_mutex_lock(&state_lock);
    int workload = workload_index(name);
    pthread_mutex_unlock(&state_lock);
    if (workload < 0) return reply(control, "ERR too many workloads (at most %d)", MAX_WORKLOADS);
    struct rule *rule = &control->staging->rules[control->staging->count];
    memset(rule, 0, sizeof *rule);
    rule->workload = workload;
    rule->exact = strcmp(match, "exact") == 0;
    rule->strip = strip[0] == '1';
    size_t path_length = strlen(path);
    while (!rule->exact && path_length > 1 && path[path_length - 1] == '/') path_length--;
    path[path_length] = '\0';
    rule->path = strdup(path);
    rule->path_length = path_length;
    if (strcmp(host, "-") != 0) {
        size_t host_length = strlen(host);
        while (host_length > 0 && host[host_length - 1] == '.') host_length--;
        host[host_length] = '\0';
        rule->host = strdup(host);
        rule->host_length = host_length;
    }
    if (rule->path == NULL || (strcmp(host, "-") != 0 && rule->host == NULL)) {
        free(rule->path);
        free(rule->host);
        return reply(control, "ERR out of memory");
    }
    control->staging->count++;
    return reply(control, "OK");
}

static int command_set(struct control *control, char *arguments) {
    char *cursor = NULL;
    char *name = strtok_r(arguments, " ", &cursor);
    int port = atoi(strtok_r(NULL, " ", &cursor));
    int h2 = strcmp(strtok_r(NULL, " ", &cursor), "h2") == 0;
    char *state = strtok_r(NULL, " ", &cursor);
    struct replica replicas[MAX_REPLICAS];
    int count = 0;
    for (char *word = strtok_r(NULL, " ", &cursor); word != NULL; word = strtok_r(NULL, " ", &cursor)) {
        char *equals = strchr(word, '=');
        *equals = '\0';
        struct replica replica = {0};
        snprintf(replica.name, sizeof replica.name, "%s", word);
        if (inet_pton(AF_INET, equals + 1, &replica.address) != 1) return reply(control, "ERR not an IPv4 address: %.64s", equals + 1);
        replicas[count++] = replica;
    }
    pthread_mutex_lock(&state_lock);
    int index = workload_index(name);
    if (index < 0) {
        pthread_mutex_unlock(&state_lock);
        return reply(control, "ERR too many workloads (at most %d)", MAX_WORKLOADS);
    }
    struct workload *workload = &workloads[index];
    int changed = !workload->known || workload->port != port || workload->h2 != h2 || strcmp(workload->state, state) != 0
                  || workload->count != count;
    for (int r = 0; r < count && !changed; r++) {
        changed = workload->replicas[r].address.s_addr != replicas[r].address.s_addr || strcmp(workload->replicas[r].name, replicas[r].name) != 0;
    }
    workload->known = 1;
    workload->port = port;
    workload->h2 = h2;
    snprintf(workload->state, sizeof workload->state, "%s", state);
    memcpy(workload->replicas, replicas, sizeof replicas[0] * (size_t)count);
    workload->count = count;
    workload->next = 0;
    pthread_cond_broadcast(&state_changed);
    pthread_mutex_unlock(&state_lock);
    if (changed) {
        char text[MAX_REPLICAS * 48 + 1];
        size_t length = 0;
        text[0] = '\0';
        for (int r = 0; r < count && length + 48 < sizeof text; r++) {
            char address[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &replicas[r].address, address, sizeof address);
            length += (size_t)snprintf(text + length, sizeof text - length, " %s=%s", replicas[r].name, address);
        }
        log_line("%s: port %d %s, %s,%s", name, port, h2 ? "h2" : "http", state, count == 0 ? " no ready replica" : text);
    }
    return reply(control, "OK %d", count);
}

/* The connection is an EVENTS stream until the subscriber leaves. */
static void stream_events(struct control *control) {
    pthread_mutex_lock(&events_lock);
    int slot = -1;
    for (int index = 0; index < MAX_SUBSCRIBERS && slot < 0; index++) {
        if (!subscribers[index].active) slot = index;
    }
    char *buffer = slot >= 0 ? malloc(SUBSCRIBER_BUFFER) : NULL;
    if (buffer != NULL) {
        subscribers[slot] = (struct subscriber){.active = 1, .buffer = buffer};
        atomic_fetch_add(&subscriber_count, 1);
    }
    pthread_mutex_unlock(&events_lock);
    if (buffer == NULL) {
        reply(control, "ERR too many EVENTS subscribers (at most %d)", MAX_SUBSCRIBERS);
        return;
    }
    int ok = reply(control, "OK") == 0;
    char *chunk = malloc(SUBSCRIBER_BUFFER);
    while (ok && chunk != NULL) {
        pthread_mutex_lock(&events_lock);
        struct subscriber *subscriber = &subscribers[slot];
        if (subscriber->length == 0 && subscriber->dropped == 0) {
            struct timespec until;
            clock_gettime(CLOCK_MONOTONIC, &until);
            until.tv_nsec += 200 * 1000000;
            if (until.tv_nsec >= 1000000000) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000;
            }
            pthread_cond_timedwait(&events_ready, &events_lock, &until);
        }
        size_t length = subscriber->length;
        for (size_t at = 0; at < length; at++) chunk[at] = subscriber->buffer[(subscriber->start + at) % SUBSCRIBER_BUFFER];
        subscriber->start = (subscriber->start + length) % SUBSCRIBER_BUFFER;
        subscriber->length = 0;
        unsigned long long dropped = subscriber->dropped;
        subscriber->dropped = 0;
        pthread_mutex_unlock(&events_lock);
        if (length > 0 && send_all(control->fd, chunk, length, 30000) != 0) break;
        if (dropped > 0 && reply(control, "DROPPED %llu", dropped) != 0) break;
        /* Gone? What a subscriber sends is read and ignored. */
        struct pollfd poller = {.fd = control->fd, .events = POLLIN};
        if (poll(&poller, 1, 0) > 0) {
            char scratch[1024];
            ssize_t got = recv(control->fd, scratch, sizeof scratch, MSG_DONTWAIT);
            if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) break;
        }
    }
    free(chunk);
    pthread_mutex_lock(&events_lock);
    subscribers[slot].active = 0;
    free(subscribers[slot].buffer);
    subscribers[slot].buffer = NULL;
    atomic_fetch_sub(&subscriber_count, 1);
    pthread_mutex_unlock(&events_lock);
}

/* 0 to go on, -1 to close, 1 when the connection became an EVENTS stream (and ended). */
static int command_commit(struct control *control) {
    if (control->staging == NULL) return reply(control, "ERR COMMIT before BEGIN");
    struct table *table = control->staging;
    control->staging = NULL;
    pthread_mutex_lock(&state_lock);
    struct table *old = live_table;
    live_table = table;
    int changed = old == NULL || strcmp(old->fingerprint, table->fingerprint) != 0 || old->count != table->count;
    free_table(old); /* under the lock: nobody reads it after */
    pthread_mutex_unlock(&state_lock);
    if (changed) log_line("table %s: %d rule%s", table->fingerprint, table->count, table->count == 1 ? "" : "s");
    return reply(control, "OK %d", table->count);
}

/* ---- routes and replicas from the command line and DNS (no wbuild beside the router) ---- */

static const char *route_arguments[MAX_RULES];
static int route_argument_count = 0;
struct discovered {
    char workload[WBC_WORKLOAD_MAX + 1];
    char name[256];
    int port;
    int h2;
};
static struct discovered discovered[64];
static int discovered_count = 0;
static struct sockaddr_in resolver;
static int have_resolver = 0;

/* The --route rules as the live table; -1 (after saying which) when one is refused. */
static int load_route_arguments(void) {
    if (route_argument_count == 0) return 0;
    struct control boot = {.fd = -1};
    boot.staging = calloc(1, sizeof(struct table) + MAX_RULES * sizeof(struct rule));
    if (boot.staging == NULL) return -1;
    snprintf(boot.staging->fingerprint, sizeof boot.staging->fingerprint, "arguments");
    for (int index = 0; index < route_argument_count; index++) {
        char copy[WBC_LINE_MAX + 1];
        snprintf(copy, sizeof copy, "%s", route_arguments[index]);
        command_route(&boot, copy);
        if (strncmp(boot.last_reply, "OK", 2) != 0) {
            log_line("--route \"%s\": %s", route_arguments[index], boot.last_reply);
            free_table(boot.staging);
            return -1;
        }
    }
    command_commit(&boot);
    return 0;
}

static int is_discovered(const char *workload) {
    for (int index = 0; index < discovered_count; index++) {
        if (strcmp(discovered[index].workload, workload) == 0) return 1;
    }
    return 0;
}

/* `<workload> <dns-name> <port> <http|h2>` into discovered[]; -1 for anything else. */
static int parse_discover(const char *text) {
    if (discovered_count == (int)(sizeof discovered / sizeof discovered[0])) return -1;
    struct discovered entry = {0};
    char wire[8];
    int port = 0;
    if (sscanf(text, "%63s %255s %d %7s", entry.workload, entry.name, &port, wire) != 4) return -1;
    if (port < 1 || port > 65535 || (strcmp(wire, "http") != 0 && strcmp(wire, "h2") != 0)) return -1;
    entry.port = port;
    entry.h2 = strcmp(wire, "h2") == 0;
    discovered[discovered_count++] = entry;
    return 0;
}

/* Every second: each --discover name's A records become its workload's replicas. A failed
 * lookup keeps the last set (the engine's DNS restarting must not empty a working route). */
static void *discover_replicas(void *unused) {
    (void)unused;
    struct control own = {.fd = -1};
    int logged_failure[64] = {0};
    for (;;) {
        for (int index = 0; index < discovered_count; index++) {
            struct discovered *entry = &discovered[index];
            struct in_addr addresses[WBD_MAX_ADDRESSES];
            int capacity = MAX_REPLICAS < WBD_MAX_ADDRESSES ? MAX_REPLICAS : WBD_MAX_ADDRESSES;
            int count = wbd_resolve(&resolver, entry->name, 1000, addresses, capacity);
            if (count < 0) {
                if (!logged_failure[index]) log_line("%s: no answer from the name server for %s; keeping its replicas", entry->workload, entry->name);
                logged_failure[index] = 1;
                continue;
            }
            logged_failure[index] = 0;
            char arguments[WBC_LINE_MAX + 1];
            int length = snprintf(arguments, sizeof arguments, "%.63s %d %s %s", entry->workload, entry->port, entry->h2 ? "h2" : "http",
                                  count > 0 ? "ready" : "starting");
            for (int r = 0; r < count && length < (int)sizeof arguments - 40; r++) {
                char address[INET_ADDRSTRLEN];
                inet_ntop(AF_INET, &addresses[r], address, sizeof address);
                length += snprintf(arguments + length, sizeof arguments - (size_t)length, " %s=%s", address, address);
            }
            command_set(&own, arguments);
        }
        pthread_mutex_lock(&state_lock);
        if (!discovery_wanted) {
            struct timespec until = monotonic_after(1000);
            pthread_cond_timedwait(&discovery_wake, &state_lock, &until);
        }
        discovery_wanted = 0;
        pthread_mutex_unlock(&state_lock);
    }
    return NULL;
}

static int handle_request(struct control *control) {
    struct wbc_request *request = &control->request;
    switch (request->verb) {
    case WBC_VERB_HELLO:
        return reply(control, "OK wbuild-router %d", WBC_VERSION);
    case WBC_VERB_BEGIN: {
        free_table(control->staging);
        control->staging = calloc(1, sizeof(struct table) + MAX_RULES * sizeof(struct rule));
        if (control->staging == NULL) return reply(control, "ERR out of memory");
        snprintf(control->staging->fingerprint, sizeof control->staging->fingerprint, "%.64s", request->arguments);
        return reply(control, "OK");
    }
    case WBC_VERB_ROUTE:
        return command_route(control, request->arguments);
    case WBC_VERB_COMMIT:
        return command_commit(control);
    case WBC_VERB_TABLE: {
        pthread_mutex_lock(&state_lock);
        char fingerprint[65] = "-";
        int count = 0;
        if (live_table != NULL) {
            snprintf(fingerprint, sizeof fingerprint, "%s", live_table->fingerprint);
            count = live_table->count;
        }
        pthread_mutex_unlock(&state_lock);
        return reply(control, "OK %s %d", fingerprint, count);
    }
    case WBC_VERB_SET:
        return command_set(control, request->arguments);
    case WBC_VERB_CONNS: {
        struct in_addr address;
        if (inet_pton(AF_INET, request->arguments, &address) != 1) return reply(control, "ERR not an IPv4 address");
        pthread_mutex_lock(&state_lock);
        int count = exchanges_to(address);
        pthread_mutex_unlock(&state_lock);
        return reply(control, "OK %d", count);
    }
    case WBC_VERB_EVENTS:
        stream_events(control);
        return 1;
    default:
        return reply(control, "ERR unknown command");
    }
}

static void *serve_control(void *argument) {
    struct control *control = argument;
    int done = 0;
    while (!done) {
        size_t start = 0;
        for (;;) {
            struct wbc_event event;
            start += wbc_parse(&control->parser, control->in + start, control->in_length - start, &event, &control->request);
            if (event.kind == WBC_NEED_MORE) break;
            if (event.kind == WBC_FATAL) {
                reply(control, "ERR %s", event.why);
                close_gracefully(control->fd);
                control->fd = -1;
                done = 1;
                break;
            }
            int handled = 0;
            if (event.kind == WBC_AUTHENTICATED) handled = reply(control, "OK wbuild-router %d", WBC_VERSION);
            else if (event.kind == WBC_REQUEST) handled = handle_request(control);
            if (handled != 0) {
                done = 1;
                break;
            }
        }
        if (done) break;
        memmove(control->in, control->in + start, control->in_length - start);
        control->in_length -= start;
        ssize_t got = recv(control->fd, control->in + control->in_length, sizeof control->in - control->in_length, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        control->in_length += (size_t)got;
    }
    if (control->fd >= 0) close(control->fd);
    free_table(control->staging);
    free(control);
    atomic_fetch_sub(&control_count, 1);
    return NULL;
}

/* ---- main ---- */

static void usage(void) {
    log_line("usage: wbuild-router [--bind ADDR] [--listen PORT] [--control PORT] [--secret-file PATH] [--hold-ms N]\n"
             "         [--idle-ms N] [--header-timeout-ms N] [--body-timeout-ms N] [--max-header-bytes N] [--max-headers N]\n"
             "         [--route \"WORKLOAD exact|prefix HOST|- 0|1 PATH\"]... [--discover \"WORKLOAD DNS-NAME PORT http|h2\"]...\n"
             "         [--resolver IPv4[:PORT]]\n"
             "  routes HTTP requests on the listen port (default %d) to the workloads' replicas set on the control port\n"
             "  (default %d), which answers only connections that send `AUTH <secret>` first, the secret read from\n"
             "  --secret-file (default %s)",
             DEFAULT_LISTEN_PORT, DEFAULT_CONTROL_PORT, WBC_DEFAULT_SECRET_FILE);
}

/* A decimal number in [low, high] spanning the whole text; -1 otherwise. */
static long long parse_number(const char *text, long long low, long long high) {
    if (*text == '\0' || strlen(text) > 12) return -1;
    long long value = 0;
    for (const char *c = text; *c != '\0'; c++) {
        if (*c < '0' || *c > '9') return -1;
        value = value * 10 + (*c - '0');
    }
    return value >= low && value <= high ? value : -1;
}

static int parse_arguments(int argc, char **argv) {
    bind_address.s_addr = htonl(INADDR_ANY);
    struct { const char *flag; long long *value; long long low, high; } numbers[] = {
        {"--hold-ms", &hold_ms, 0, 3600000},           {"--idle-ms", &idle_ms, 1, 86400000},
        {"--header-timeout-ms", &header_timeout_ms, 1, 3600000}, {"--body-timeout-ms", &body_timeout_ms, 1, 86400000},
        {"--max-header-bytes", &max_header_bytes, 256, 1 << 20}, {"--max-headers", &max_headers, 1, 10000},
    };
    for (int index = 1; index < argc; index++) {
        const char *argument = argv[index];
        if (index + 1 >= argc) return -1;
        const char *value = argv[++index];
        if (strcmp(argument, "--bind") == 0) {
            if (inet_pton(AF_INET, value, &bind_address) != 1) return -1;
        } else if (strcmp(argument, "--secret-file") == 0) {
            secret_file = value;
        } else if (strcmp(argument, "--listen") == 0) {
            if ((listen_port = (int)parse_number(value, 1, 65535)) < 0) return -1;
        } else if (strcmp(argument, "--control") == 0) {
            if ((control_port = (int)parse_number(value, 1, 65535)) < 0) return -1;
        } else if (strcmp(argument, "--route") == 0) {
            if (route_argument_count == MAX_RULES) return -1;
            const char *why = wbc_check_router(WBC_VERB_ROUTE, value, strlen(value));
            if (why != NULL) {
                log_line("--route \"%s\": %s", value, why);
                return -1;
            }
            route_arguments[route_argument_count++] = value;
        } else if (strcmp(argument, "--discover") == 0) {
            if (parse_discover(value) != 0) return -1;
        } else if (strcmp(argument, "--resolver") == 0) {
            char host[INET_ADDRSTRLEN];
            int port = 53;
            if (sscanf(value, "%15[0-9.]:%d", host, &port) < 1 || port < 1 || port > 65535) return -1;
            memset(&resolver, 0, sizeof resolver);
            resolver.sin_family = AF_INET;
            resolver.sin_port = htons((uint16_t)port);
            if (inet_pton(AF_INET, host, &resolver.sin_addr) != 1) return -1;
            have_resolver = 1;
        } else {
            int known = 0;
            for (size_t n = 0; n < sizeof numbers / sizeof numbers[0] && !known; n++) {
                if (strcmp(argument, numbers[n].flag) != 0) continue;
                if ((*numbers[n].value = parse_number(value, numbers[n].low, numbers[n].high)) < 0) return -1;
                known = 1;
            }
            if (!known) return -1;
        }
    }
    return listen_port == control_port ? -1 : 0;
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

static void raise_descriptor_limit(void) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= limit.rlim_max) return;
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

static int spawn(void *(*body)(void *), void *argument) {
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setstacksize(&attributes, THREAD_STACK);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    pthread_t thread;
    int failed = pthread_create(&thread, &attributes, body, argument);
    pthread_attr_destroy(&attributes);
    return failed;
}

static void accept_clients(int listener) {
    for (;;) {
        struct sockaddr_in peer;
        socklen_t length = sizeof peer;
        int fd = accept4(listener, (struct sockaddr *)&peer, &length, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                log_error(ERROR_RESOURCES, "accept: %s: pausing", strerror(errno));
                usleep(100000);
            }
            return;
        }
        set_no_delay(fd);
        struct connection *connection = new_connection(fd, &peer);
        if (connection == NULL || spawn(serve_client, connection) != 0) {
            log_error(ERROR_RESOURCES, "out of memory or threads: a connection closed");
            if (connection != NULL) {
                free(connection->in);
                free(connection);
            }
            close(fd);
        }
    }
}

static void accept_controls(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;
        }
        if (atomic_fetch_add(&control_count, 1) >= MAX_CONTROL_CLIENTS) {
            atomic_fetch_sub(&control_count, 1);
            close(fd);
            continue;
        }
        set_no_delay(fd);
        struct control *control = calloc(1, sizeof *control);
        if (control != NULL) {
            control->fd = fd;
            control->parser.dialect = WBC_ROUTER;
            control->parser.secret = have_secret ? secret : NULL;
        }
        if (control == NULL || spawn(serve_control, control) != 0) {
            free(control);
            close(fd);
            atomic_fetch_sub(&control_count, 1);
        }
        /* The listener is non-blocking: the next accept ends the loop when none is waiting. */
    }
}

int main(int argc, char **argv) {
    if (parse_arguments(argc, argv) != 0) {
        usage();
        return 2;
    }
    char why[512];
    have_secret = wbc_load_secret(secret_file, secret, why, sizeof why) == 0;
    if (!have_secret) log_line("%s: every control connection is refused", why);

    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&state_changed, &monotonic);
    pthread_cond_init(&events_ready, &monotonic);
    pthread_cond_init(&discovery_wake, &monotonic);

    signal(SIGPIPE, SIG_IGN);
    sigset_t handled;
    sigemptyset(&handled);
    sigaddset(&handled, SIGTERM);
    sigaddset(&handled, SIGINT);
    sigprocmask(SIG_BLOCK, &handled, NULL); /* threads made later inherit it */
    int signals = signalfd(-1, &handled, SFD_NONBLOCK | SFD_CLOEXEC);
    if (signals < 0) {
        log_line("cannot set up: %s", strerror(errno));
        return 1;
    }
    raise_descriptor_limit();

    if (load_route_arguments() != 0) return 2;
    if (discovered_count > 0) {
        if (!have_resolver && wbd_resolv_conf_server("/etc/resolv.conf", &resolver) != 0) {
            log_line("--discover needs a name server: none in /etc/resolv.conf; give --resolver IPv4[:PORT]");
            return 2;
        }
        if (spawn(discover_replicas, NULL) != 0) {
            log_line("cannot start discovery: out of threads");
            return 1;
        }
    }

    char address[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &bind_address, address, sizeof address);
    int listener = open_listener(listen_port);
    if (listener < 0) {
        log_line("cannot listen on %s:%d: %s", address, listen_port, strerror(errno));
        return 1;
    }
    int control_listener = open_listener(control_port);
    if (control_listener < 0) {
        log_line("cannot listen on %s:%d: %s", address, control_port, strerror(errno));
        return 1;
    }
    struct pollfd pollers[3] = {{.fd = signals, .events = POLLIN}, {.fd = listener, .events = POLLIN},
                                {.fd = control_listener, .events = POLLIN}};
    for (;;) {
        int ready = poll(pollers, 3, -1);
        if (ready < 0) {
            if (errno == EINTR) continue;
            log_line("poll: %s", strerror(errno));
            return 1;
        }
        if (pollers[0].revents & POLLIN) return 0;
        if (pollers[1].revents & POLLIN) accept_clients(listener);
        if (pollers[2].revents & POLLIN) accept_controls(control_listener);
    }
}
