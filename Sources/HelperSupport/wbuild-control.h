/*
 * wbuild-control.h: the one control dialect of wbuild's static helpers, wbuild-init
 * (Sources/Supervisor/wbuild-init.c), wbuild-door (Sources/Door/wbuild-door.c) and wbuild-router
 * (Sources/Router/wbuild-router.c), and the only
 * code that reads their control connections' bytes. Swift's one client is
 * Sources/WBuildWorkloads/Containers/Support/ControlChannel.swift.
 *
 * Header only and free of I/O but for wbc_load_secret: the parser is a value state machine that
 * takes bytes and returns events, so scripts/fuzz-helpers.sh compiles it alone with libFuzzer.
 *
 * The dialect, for both helpers:
 *   - A connection's first line must be `AUTH <secret>\n`. The secret is 64 lowercase hex
 *     characters (256 bits) that wbuild writes to /.wbuild/secret (mode 0400, uid 0) in the
 *     container before it starts; the helper reads it once at start (`--secret-file PATH`
 *     overrides the path) and compares in constant time. Success: `OK <program> <version>\n`.
 *     Any other first line, or a wrong secret: exactly `ERR not authenticated\n`, the connection
 *     closed, nothing done. A helper without a readable secret refuses every connection. No
 *     peer is exempt (loopback neither).
 *   - Then requests: lines ending in \n (a \r before it is ignored), at most WBC_LINE_MAX bytes
 *     before the \n. `HELLO` -> `OK <program> <version>`. An unknown verb -> `ERR unknown
 *     command` (the connection is kept). A malformed request (a known verb whose arguments do
 *     not parse: a bad number, a bad path; an over-long line; a NUL) -> `ERR <why>` and the
 *     connection is closed with nothing of that request applied, so the bytes of a body can never
 *     be read as requests.
 *   - Supervisor requests (WBC_SUPERVISOR):
 *       PUT <mode> <size> <path>\n<size bytes>   a regular file
 *       MKDIR <mode> <path>\n                    a directory (and its missing parents)
 *       LINK <size> <path>\n<size bytes>         a symbolic link to the bytes that follow
 *       DEL <path>\n                             remove the file, link or directory tree
 *       END\n                                    `OK` or `ERR <first failure since the last END>`
 *       RESTART\n, PID\n                         see wbuild-init.c
 *     <mode>: 1-4 octal digits (<= 07777). <size>: 1-13 decimal digits, <= 2^40 (LINK: <=
 *     WBC_LINK_MAX). <path>: absolute, at most WBC_PATH_MAX bytes, no empty, `.` or `..`
 *     component, each component at most 255 bytes, not `/` itself.
 *   - Door requests (WBC_DOOR): SET [IP...], GET, CONNS <IP>: see wbuild-door.c.
 *   - Router requests (WBC_ROUTER): BEGIN <fingerprint>, ROUTE <workload> <exact|prefix>
 *     <host|-> <0|1> <path>, COMMIT, TABLE, SET <workload> <port> <http|h2> <state>
 *     [<replica>=<IPv4>...], CONNS <IPv4>, EVENTS: see wbuild-router.c. Their words are checked
 *     here (wbc_check_router), so a malformed one closes the connection like any other.
 *
 * Define nothing before including; each helper includes it once (one translation unit, linked by
 * Sources/SupervisorBuilder/plugin.swift, which lists this header among its inputs).
 */
#ifndef WBUILD_CONTROL_H
#define WBUILD_CONTROL_H

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WBC_UNUSED __attribute__((unused))

/* The dialect's version, the second word of `OK <program> <version>`. */
#define WBC_VERSION 2
/* Bytes a request line may have before its \n. */
#define WBC_LINE_MAX 4096
/* Bytes of a path (PATH_MAX less its NUL). */
#define WBC_PATH_MAX 4095
/* Bytes of a path component. */
#define WBC_NAME_MAX 255
/* Bytes of a symbolic link's target. */
#define WBC_LINK_MAX 4095
/* Bytes of a PUT body: 2^40. */
#define WBC_SIZE_MAX 1099511627776ULL
/* Characters of a secret: 256 bits in lowercase hex. */
#define WBC_SECRET_LENGTH 64
#define WBC_DEFAULT_SECRET_FILE "/.wbuild/secret"
#define WBC_NOT_AUTHENTICATED "not authenticated"

/* ---- the secret ---- */

/* Reads the secret from `path` into `secret` (NUL-terminated): exactly 64 lowercase hex characters,
 * optionally followed by one \n. Returns 0, or -1 with `why` filled in. */
WBC_UNUSED static int wbc_load_secret(const char *path, char secret[WBC_SECRET_LENGTH + 1], char *why, size_t why_size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        snprintf(why, why_size, "cannot read the secret file %s: %s", path, strerror(errno));
        return -1;
    }
    char text[WBC_SECRET_LENGTH + 2];
    size_t length = 0;
    while (length < sizeof text) {
        ssize_t got = read(fd, text + length, sizeof text - length);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        length += (size_t)got;
    }
    close(fd);
    if (length == WBC_SECRET_LENGTH + 1 && text[WBC_SECRET_LENGTH] == '\n') length--;
    int valid = length == WBC_SECRET_LENGTH;
    for (size_t index = 0; valid && index < length; index++) {
        char c = text[index];
        valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
    if (!valid) {
        snprintf(why, why_size, "the secret file %s does not hold 64 lowercase hex characters", path);
        return -1;
    }
    memcpy(secret, text, WBC_SECRET_LENGTH);
    secret[WBC_SECRET_LENGTH] = '\0';
    return 0;
}

/* Whether `given` (`length` bytes) is `secret`, in time that depends on neither. */
WBC_UNUSED static int wbc_secret_matches(const char *given, size_t length, const char *secret) {
    unsigned char difference = length != WBC_SECRET_LENGTH;
    for (size_t index = 0; index < WBC_SECRET_LENGTH; index++) {
        unsigned char c = index < length ? (unsigned char)given[index] : 0;
        difference |= (unsigned char)(c ^ (unsigned char)secret[index]);
    }
    return difference == 0;
}

/* ---- requests ---- */

enum wbc_dialect { WBC_SUPERVISOR, WBC_DOOR, WBC_ROUTER };

enum wbc_verb {
    WBC_VERB_UNKNOWN,
    WBC_VERB_HELLO,
    /* supervisor */
    WBC_VERB_PUT, WBC_VERB_MKDIR, WBC_VERB_LINK, WBC_VERB_DEL, WBC_VERB_END, WBC_VERB_RESTART, WBC_VERB_PID,
    /* door (SET, CONNS: the router too) */
    WBC_VERB_SET, WBC_VERB_GET, WBC_VERB_CONNS,
    /* router */
    WBC_VERB_BEGIN, WBC_VERB_ROUTE, WBC_VERB_COMMIT, WBC_VERB_TABLE, WBC_VERB_EVENTS,
};

/* One parsed request line. */
struct wbc_request {
    enum wbc_verb verb;
    unsigned mode;           /* PUT, MKDIR: <= 07777 */
    unsigned long long size; /* PUT, LINK: the body bytes that follow */
    char path[WBC_PATH_MAX + 1];          /* PUT, MKDIR, LINK, DEL: checked by wbc_check_path */
    char arguments[WBC_LINE_MAX + 1];     /* SET, CONNS, BEGIN, ROUTE: the text after the verb and one space */
};

enum wbc_event_kind {
    WBC_NEED_MORE,     /* nothing complete: call again with more bytes (none consumed) */
    WBC_AUTHENTICATED, /* the AUTH line matched: reply OK <program> <version> */
    WBC_REQUEST,       /* a request line: see the request */
    WBC_BODY,          /* bytes of a PUT or LINK body */
    WBC_FATAL,         /* reply ERR <why> and close the connection */
};

struct wbc_event {
    enum wbc_event_kind kind;
    const char *body;    /* WBC_BODY: within the bytes given */
    size_t body_length;  /* WBC_BODY */
    int body_done;       /* WBC_BODY: the last bytes of the body */
    const char *why;     /* WBC_FATAL: a static string */
};

/* A connection's reading state. Zero it, then set the dialect and the secret (NULL: refuse all). */
struct wbc_parser {
    enum wbc_dialect dialect;
    const char *secret;
    int authenticated;
    int failed;
    unsigned long long body_remaining;
};

/* NULL when `path` (`length` bytes, no NUL among them) is absolute with only proper components;
 * otherwise why not. */
WBC_UNUSED static const char *wbc_check_path(const char *path, size_t length) {
    if (length == 0 || path[0] != '/') return "bad path: not absolute";
    if (length > WBC_PATH_MAX) return "bad path: too long";
    if (length == 1) return "bad path: / itself";
    size_t start = 1;
    while (start <= length) {
        const char *slash = memchr(path + start, '/', length - start);
        size_t end = slash != NULL ? (size_t)(slash - path) : length;
        size_t size = end - start;
        if (size == 0) return "bad path: empty component";
        if (size > WBC_NAME_MAX) return "bad path: component too long";
        if (size == 1 && path[start] == '.') return "bad path: . component";
        if (size == 2 && path[start] == '.' && path[start + 1] == '.') return "bad path: .. component";
        start = end + 1;
    }
    return NULL;
}

/* Parses 1..max_digits digits of `base` (8 or 10) at text[*offset], up to a space or the end.
 * Returns 0 and the value, or -1. */
WBC_UNUSED static int wbc_parse_number(const char *text, size_t length, size_t *offset, unsigned base, size_t max_digits,
                            unsigned long long limit, unsigned long long *value) {
    size_t index = *offset;
    unsigned long long result = 0;
    size_t digits = 0;
    while (index < length && text[index] != ' ') {
        char c = text[index];
        unsigned digit;
        if (c >= '0' && c <= '9') digit = (unsigned)(c - '0');
        else return -1;
        if (digit >= base) return -1;
        if (++digits > max_digits) return -1;
        result = result * base + digit;
        index++;
    }
    if (digits == 0 || result > limit) return -1;
    *offset = index;
    *value = result;
    return 0;
}

/* Copies the path text[offset..length) into request->path after checking it; NULL or why not. */
WBC_UNUSED static const char *wbc_take_path(const char *text, size_t length, size_t offset, struct wbc_request *request) {
    const char *why = wbc_check_path(text + offset, length - offset);
    if (why != NULL) return why;
    memcpy(request->path, text + offset, length - offset);
    request->path[length - offset] = '\0';
    return NULL;
}

/* Expects one space at text[*offset] and steps over it. */
WBC_UNUSED static int wbc_space(const char *text, size_t length, size_t *offset) {
    if (*offset >= length || text[*offset] != ' ') return -1;
    (*offset)++;
    return 0;
}

WBC_UNUSED static int wbc_is(const char *line, size_t verb_length, const char *verb) {
    return strlen(verb) == verb_length && memcmp(line, verb, verb_length) == 0;
}

/* ---- the router's words ---- */

/* The length of the word at text[offset..length) up to a space or the end. */
WBC_UNUSED static size_t wbc_word(const char *text, size_t length, size_t offset) {
    size_t end = offset;
    while (end < length && text[end] != ' ') end++;
    return end - offset;
}

/* Whether each of the `size` bytes at `word` is in `allowed` (a string of single characters and
 * `a-z` style ranges), and 1 <= size <= max. */
WBC_UNUSED static int wbc_word_in(const char *word, size_t size, size_t max, const char *allowed) {
    if (size == 0 || size > max) return 0;
    for (size_t index = 0; index < size; index++) {
        unsigned char c = (unsigned char)word[index];
        int ok = 0;
        for (const char *a = allowed; *a != '\0' && !ok; a++) {
            if (a[1] == '-' && a[2] != '\0') {
                ok = c >= (unsigned char)a[0] && c <= (unsigned char)a[2];
                a += 2;
            } else {
                ok = c == (unsigned char)*a;
            }
        }
        if (!ok) return 0;
    }
    return 1;
}

/* Whether the word is a dotted quad of 1-3 digit numbers <= 255. */
WBC_UNUSED static int wbc_is_ipv4(const char *word, size_t size) {
    int parts = 0, digits = 0, value = 0;
    for (size_t index = 0; index <= size; index++) {
        if (index == size || word[index] == '.') {
            if (digits == 0 || value > 255) return 0;
            parts++;
            digits = value = 0;
        } else if (word[index] >= '0' && word[index] <= '9' && digits < 3) {
            value = value * 10 + (word[index] - '0');
            digits++;
        } else {
            return 0;
        }
    }
    return parts == 4;
}

#define WBC_WORKLOAD_CHARS "a-z0-9_-"
#define WBC_WORKLOAD_MAX 63
#define WBC_STATE_MAX 31
#define WBC_REPLICA_MAX 31
#define WBC_HOST_MAX 253
#define WBC_ROUTER_REPLICAS_MAX 64

/* NULL when the arguments of a router request (`arguments`, `length` bytes) are well formed;
 * otherwise its usage. */
WBC_UNUSED static const char *wbc_check_router(enum wbc_verb verb, const char *text, size_t length) {
    size_t offset = 0, size;
    switch (verb) {
    case WBC_VERB_BEGIN:
        size = wbc_word(text, length, 0);
        return size == length && wbc_word_in(text, size, 64, "0-9a-f") ? NULL : "usage: BEGIN <fingerprint: 1-64 of [0-9a-f]>";
    case WBC_VERB_ROUTE: {
        static const char *usage = "usage: ROUTE <workload> <exact|prefix> <host|-> <0|1> <path>";
        size = wbc_word(text, length, offset);
        if (!wbc_word_in(text, size, WBC_WORKLOAD_MAX, WBC_WORKLOAD_CHARS)) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (!((size == 5 && memcmp(text + offset, "exact", 5) == 0) || (size == 6 && memcmp(text + offset, "prefix", 6) == 0))) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (!(size == 1 && text[offset] == '-') && !wbc_word_in(text + offset, size, WBC_HOST_MAX, "a-z0-9.*:[]_-")) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (size != 1 || (text[offset] != '0' && text[offset] != '1')) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (offset + size != length || size == 0 || text[offset] != '/' || !wbc_word_in(text + offset, size, WBC_PATH_MAX, "!-~"))
            return "bad path: a route's path starts with / and has no spaces or control characters";
        return NULL;
    }
    case WBC_VERB_SET: {
        static const char *usage = "usage: SET <workload> <port> <http|h2> <state> [<replica>=<IPv4>...]";
        unsigned long long port;
        size = wbc_word(text, length, offset);
        if (!wbc_word_in(text, size, WBC_WORKLOAD_MAX, WBC_WORKLOAD_CHARS)) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0 || wbc_parse_number(text, length, &offset, 10, 5, 65535, &port) != 0 || port == 0) return usage;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (!((size == 4 && memcmp(text + offset, "http", 4) == 0) || (size == 2 && memcmp(text + offset, "h2", 2) == 0))) return usage;
        offset += size;
        if (wbc_space(text, length, &offset) != 0) return usage;
        size = wbc_word(text, length, offset);
        if (!wbc_word_in(text + offset, size, WBC_STATE_MAX, "a-z-")) return usage;
        offset += size;
        int replicas = 0;
        while (offset < length) {
            if (wbc_space(text, length, &offset) != 0) return usage;
            size = wbc_word(text, length, offset);
            const char *equals = memchr(text + offset, '=', size);
            if (equals == NULL) return usage;
            size_t name = (size_t)(equals - (text + offset));
            if (!wbc_word_in(text + offset, name, WBC_REPLICA_MAX, WBC_WORKLOAD_CHARS)
                || !wbc_is_ipv4(equals + 1, size - name - 1)) return usage;
            if (++replicas > WBC_ROUTER_REPLICAS_MAX) return "too many replicas (at most 64)";
            offset += size;
        }
        return NULL;
    }
    case WBC_VERB_CONNS:
        return wbc_is_ipv4(text, length) ? NULL : "usage: CONNS <IPv4 address>";
    default:
        return NULL;
    }
}

/* Parses one authenticated request line (no \n, no NUL). Returns NULL, or why it is malformed. */
WBC_UNUSED static const char *wbc_parse_line(enum wbc_dialect dialect, const char *line, size_t length, struct wbc_request *request) {
    const char *space = memchr(line, ' ', length);
    size_t verb_length = space != NULL ? (size_t)(space - line) : length;
    size_t offset = verb_length; /* at the space after the verb, or the end */
    int bare = offset == length;
    unsigned long long number = 0;
    request->verb = WBC_VERB_UNKNOWN;
    request->mode = 0;
    request->size = 0;
    request->path[0] = '\0';
    request->arguments[0] = '\0';

    if (wbc_is(line, verb_length, "HELLO")) {
        request->verb = WBC_VERB_HELLO;
        return bare ? NULL : "usage: HELLO";
    }
    if (dialect == WBC_SUPERVISOR) {
        if (wbc_is(line, verb_length, "END")) { request->verb = WBC_VERB_END; return bare ? NULL : "usage: END"; }
        if (wbc_is(line, verb_length, "RESTART")) { request->verb = WBC_VERB_RESTART; return bare ? NULL : "usage: RESTART"; }
        if (wbc_is(line, verb_length, "PID")) { request->verb = WBC_VERB_PID; return bare ? NULL : "usage: PID"; }
        if (wbc_is(line, verb_length, "PUT")) {
            request->verb = WBC_VERB_PUT;
            if (wbc_space(line, length, &offset) != 0
                || wbc_parse_number(line, length, &offset, 8, 4, 07777, &number) != 0) return "usage: PUT <mode: 1-4 octal digits> <size> <path>";
            request->mode = (unsigned)number;
            if (wbc_space(line, length, &offset) != 0
                || wbc_parse_number(line, length, &offset, 10, 13, WBC_SIZE_MAX, &request->size) != 0) return "usage: PUT <mode> <size: decimal digits, at most 2^40> <path>";
            if (wbc_space(line, length, &offset) != 0) return "usage: PUT <mode> <size> <path>";
            return wbc_take_path(line, length, offset, request);
        }
        if (wbc_is(line, verb_length, "MKDIR")) {
            request->verb = WBC_VERB_MKDIR;
            if (wbc_space(line, length, &offset) != 0
                || wbc_parse_number(line, length, &offset, 8, 4, 07777, &number) != 0) return "usage: MKDIR <mode: 1-4 octal digits> <path>";
            request->mode = (unsigned)number;
            if (wbc_space(line, length, &offset) != 0) return "usage: MKDIR <mode> <path>";
            return wbc_take_path(line, length, offset, request);
        }
        if (wbc_is(line, verb_length, "LINK")) {
            request->verb = WBC_VERB_LINK;
            if (wbc_space(line, length, &offset) != 0
                || wbc_parse_number(line, length, &offset, 10, 4, WBC_LINK_MAX, &request->size) != 0) return "usage: LINK <size: decimal digits, at most 4095> <path>";
            if (wbc_space(line, length, &offset) != 0) return "usage: LINK <size> <path>";
            return wbc_take_path(line, length, offset, request);
        }
        if (wbc_is(line, verb_length, "DEL")) {
            request->verb = WBC_VERB_DEL;
            if (wbc_space(line, length, &offset) != 0) return "usage: DEL <path>";
            return wbc_take_path(line, length, offset, request);
        }
        return NULL;
    }
    if (dialect == WBC_ROUTER) {
        if (wbc_is(line, verb_length, "COMMIT")) { request->verb = WBC_VERB_COMMIT; return bare ? NULL : "usage: COMMIT"; }
        if (wbc_is(line, verb_length, "TABLE")) { request->verb = WBC_VERB_TABLE; return bare ? NULL : "usage: TABLE"; }
        if (wbc_is(line, verb_length, "EVENTS")) { request->verb = WBC_VERB_EVENTS; return bare ? NULL : "usage: EVENTS"; }
        enum wbc_verb verb = wbc_is(line, verb_length, "BEGIN") ? WBC_VERB_BEGIN
                             : wbc_is(line, verb_length, "ROUTE") ? WBC_VERB_ROUTE
                             : wbc_is(line, verb_length, "SET")   ? WBC_VERB_SET
                             : wbc_is(line, verb_length, "CONNS") ? WBC_VERB_CONNS
                                                                  : WBC_VERB_UNKNOWN;
        if (verb == WBC_VERB_UNKNOWN) return NULL;
        request->verb = verb;
        size_t start = bare ? length : offset + 1;
        const char *why = wbc_check_router(verb, line + start, length - start);
        if (why != NULL) return why;
        memcpy(request->arguments, line + start, length - start);
        request->arguments[length - start] = '\0';
        return NULL;
    }
    if (wbc_is(line, verb_length, "GET")) { request->verb = WBC_VERB_GET; return bare ? NULL : "usage: GET"; }
    if (wbc_is(line, verb_length, "SET") || wbc_is(line, verb_length, "CONNS")) {
        request->verb = line[0] == 'S' ? WBC_VERB_SET : WBC_VERB_CONNS;
        size_t start = bare ? length : offset + 1;
        memcpy(request->arguments, line + start, length - start);
        request->arguments[length - start] = '\0';
        return NULL;
    }
    return NULL;
}

/* Reads what it can of data[0..length): returns the bytes consumed and reports one event in
 * `event` (a request in `request`). Call again with the rest while the event is not
 * WBC_NEED_MORE or WBC_FATAL; after WBC_FATAL every call is WBC_FATAL. */
WBC_UNUSED static size_t wbc_parse(struct wbc_parser *parser, const char *data, size_t length, struct wbc_event *event,
                                   struct wbc_request *request) {
    memset(event, 0, sizeof *event);
    if (parser->failed) {
        event->kind = WBC_FATAL;
        event->why = "connection closed";
        return 0;
    }
    if (parser->body_remaining > 0) {
        if (length == 0) {
            event->kind = WBC_NEED_MORE;
            return 0;
        }
        size_t take = (unsigned long long)length < parser->body_remaining ? length : (size_t)parser->body_remaining;
        parser->body_remaining -= take;
        event->kind = WBC_BODY;
        event->body = data;
        event->body_length = take;
        event->body_done = parser->body_remaining == 0;
        return take;
    }
    size_t window = length < WBC_LINE_MAX + 1 ? length : WBC_LINE_MAX + 1;
    const char *newline = memchr(data, '\n', window);
    if (newline == NULL) {
        if (length > WBC_LINE_MAX) {
            parser->failed = 1;
            event->kind = WBC_FATAL;
            event->why = parser->authenticated ? "line too long" : WBC_NOT_AUTHENTICATED;
            return 0;
        }
        event->kind = WBC_NEED_MORE;
        return 0;
    }
    size_t consumed = (size_t)(newline - data) + 1;
    size_t line_length = consumed - 1;
    if (line_length > 0 && data[line_length - 1] == '\r') line_length--;
    if (!parser->authenticated) {
        int ok = parser->secret != NULL && line_length > 5 && memcmp(data, "AUTH ", 5) == 0
                 && memchr(data, '\0', line_length) == NULL
                 && wbc_secret_matches(data + 5, line_length - 5, parser->secret);
        if (!ok) {
            parser->failed = 1;
            event->kind = WBC_FATAL;
            event->why = WBC_NOT_AUTHENTICATED;
            return 0;
        }
        parser->authenticated = 1;
        event->kind = WBC_AUTHENTICATED;
        return consumed;
    }
    const char *why = memchr(data, '\0', line_length) != NULL ? "NUL in a request"
                                                              : wbc_parse_line(parser->dialect, data, line_length, request);
    if (why != NULL) {
        parser->failed = 1;
        event->kind = WBC_FATAL;
        event->why = why;
        return 0;
    }
    if (request->verb == WBC_VERB_PUT || request->verb == WBC_VERB_LINK) parser->body_remaining = request->size;
    event->kind = WBC_REQUEST;
    return consumed;
}

#endif
