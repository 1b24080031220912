/*
 * wbuild-http.h: the HTTP/1.1 message heads and chunked framing of wbuild-router
 * (Sources/Router/wbuild-router.c), as RFC 9112 has them.
 *
 * Header only and free of I/O: value state machines that take bytes and say what they are, so
 * a fuzzer can compile this file alone, like wbuild-control.h.
 *   - wbh_parse_request / wbh_parse_response: given the bytes received so far of a head, 0 while
 *     it is incomplete, 1 and the parsed head once its empty line arrived, or an error: the
 *     status the router answers with (400, 414, 431; 502 for a response). Headers are spans into
 *     the bytes given (nothing copied). A request is refused for anything a smuggler could use:
 *     both Content-Length and Transfer-Encoding, Content-Lengths that differ or are not digits,
 *     a transfer coding other than one `chunked`, Transfer-Encoding on HTTP/1.0, obs-fold,
 *     whitespace before a colon, a bare CR, a control character in a value, a method that is no
 *     token, a target that is neither origin-form, `http://` absolute-form (its path becomes the
 *     target, its authority the host) nor `*` for OPTIONS, no or several Host on HTTP/1.1. Lines
 *     may end in a bare LF.
 *   - wbh_chunked_feed: the chunked framing of a body passed through as it is: how many of the
 *     bytes given belong to the body, and whether it ended (last chunk and trailers) or is bad.
 */
#ifndef WBUILD_HTTP_H
#define WBUILD_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WBH_UNUSED __attribute__((unused))

/* Bytes of a request line before its LF (longer: 414). */
#define WBH_REQUEST_LINE_MAX 8192
/* Bytes of a chunked body's trailer section. */
#define WBH_TRAILERS_MAX 32768

/* `offset` and `length` into the head's bytes. */
struct wbh_span {
    uint32_t offset;
    uint32_t length;
};

struct wbh_header {
    struct wbh_span name;
    struct wbh_span value; /* without the whitespace around it */
};

/* The Connection header's tokens the router acts on. */
#define WBH_CONNECTION_CLOSE 1u
#define WBH_CONNECTION_KEEP_ALIVE 2u
#define WBH_CONNECTION_UPGRADE 4u

/* A parsed head. Set `headers` and `capacity` (the most headers accepted; more: 431) first. */
struct wbh_head {
    struct wbh_header *headers;
    int capacity;
    int count;
    size_t length;          /* bytes of the head, its empty line included */
    struct wbh_span method; /* request */
    struct wbh_span target; /* request */
    int status;             /* response */
    struct wbh_span reason; /* response */
    int minor;              /* HTTP/1.<minor>: 0 or 1 */
    long long content_length; /* -1: none */
    int chunked;            /* Transfer-Encoding: chunked (the only coding) */
    int bad_coding;         /* response: a Transfer-Encoding that is not just chunked */
    int host_count;
    struct wbh_span host;
    int has_upgrade;
    struct wbh_span upgrade;
    unsigned connection;    /* WBH_CONNECTION_* */
    int absolute;           /* request: the target was absolute-form; `host` is its authority */
};

WBH_UNUSED static int wbh_is_tchar(unsigned char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

WBH_UNUSED static unsigned char wbh_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* Whether the `length` bytes at `text` are `word` (lowercase), ignoring case. */
WBH_UNUSED static int wbh_equals(const char *text, size_t length, const char *word) {
    size_t size = strlen(word);
    if (size != length) return 0;
    for (size_t index = 0; index < size; index++) {
        if (wbh_lower((unsigned char)text[index]) != (unsigned char)word[index]) return 0;
    }
    return 1;
}

WBH_UNUSED static int wbh_span_is(const char *base, struct wbh_span span, const char *word) {
    return wbh_equals(base + span.offset, span.length, word);
}

/* Calls back for each comma-separated element of a list value, trimmed, skipping empty ones;
 * stops early when `each` returns nonzero, and returns that. */
typedef int (*wbh_element_fn)(const char *element, size_t length, void *context);
WBH_UNUSED static int wbh_each_element(const char *value, size_t length, wbh_element_fn each, void *context) {
    size_t start = 0;
    while (start <= length) {
        size_t end = start;
        while (end < length && value[end] != ',') end++;
        size_t a = start, b = end;
        while (a < b && (value[a] == ' ' || value[a] == '\t')) a++;
        while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t')) b--;
        if (b > a) {
            int stop = each(value + a, b - a, context);
            if (stop) return stop;
        }
        start = end + 1;
    }
    return 0;
}

static int wbh_connection_token(const char *element, size_t length, void *context) {
    unsigned *flags = context;
    if (wbh_equals(element, length, "close")) *flags |= WBH_CONNECTION_CLOSE;
    else if (wbh_equals(element, length, "keep-alive")) *flags |= WBH_CONNECTION_KEEP_ALIVE;
    else if (wbh_equals(element, length, "upgrade")) *flags |= WBH_CONNECTION_UPGRADE;
    return 0;
}

struct wbh_name_search {
    const char *name;
    size_t length;
};

static int wbh_name_is_element(const char *element, size_t length, void *context) {
    struct wbh_name_search *search = context;
    if (length != search->length) return 0;
    for (size_t index = 0; index < length; index++) {
        if (wbh_lower((unsigned char)element[index]) != wbh_lower((unsigned char)search->name[index])) return 0;
    }
    return 1;
}

/* Whether the header `name` is listed in one of the head's Connection headers (a hop-by-hop
 * header of this connection only, RFC 9110 7.6.1). */
WBH_UNUSED static int wbh_named_in_connection(const char *base, const struct wbh_head *head, struct wbh_span name) {
    struct wbh_name_search search = {base + name.offset, name.length};
    for (int index = 0; index < head->count; index++) {
        const struct wbh_header *header = &head->headers[index];
        if (!wbh_span_is(base, header->name, "connection")) continue;
        if (wbh_each_element(base + header->value.offset, header->value.length, wbh_name_is_element, &search)) return 1;
    }
    return 0;
}

/* Parses a Content-Length value (a list of equal decimal numbers is taken as one); -1 if bad. */
static long long wbh_content_length(const char *value, size_t length) {
    long long result = -1;
    size_t index = 0;
    while (index <= length) {
        while (index < length && (value[index] == ' ' || value[index] == '\t')) index++;
        long long number = 0;
        size_t digits = 0;
        while (index < length && value[index] >= '0' && value[index] <= '9') {
            if (++digits > 18) return -1;
            number = number * 10 + (value[index++] - '0');
        }
        while (index < length && (value[index] == ' ' || value[index] == '\t')) index++;
        if (digits == 0 || (index < length && value[index] != ',')) return -1;
        if (result >= 0 && result != number) return -1;
        result = number;
        index++;
    }
    return result;
}

struct wbh_coding_count {
    int elements;
    int chunked_last;
};

static int wbh_coding(const char *element, size_t length, void *context) {
    struct wbh_coding_count *count = context;
    count->elements++;
    count->chunked_last = wbh_equals(element, length, "chunked");
    return 0;
}

/* The header lines of a head from `offset` (just after its first line), up to `limit` bytes in
 * all. Returns 1 complete, 0 incomplete, or -1 malformed, -2 too many or too large. */
static int wbh_parse_fields(const char *data, size_t length, size_t offset, size_t limit, struct wbh_head *head, int request) {
    head->count = 0;
    head->content_length = -1;
    head->chunked = head->bad_coding = 0;
    head->host_count = 0;
    head->has_upgrade = 0;
    head->connection = 0;
    int codings = 0;
    for (;;) {
        size_t window = length - offset;
        const char *newline = memchr(data + offset, '\n', window);
        if (newline == NULL) return length > limit ? -2 : 0;
        size_t end = (size_t)(newline - data);
        if (end + 1 > limit) return -2;
        size_t line_end = end > offset && data[end - 1] == '\r' ? end - 1 : end;
        if (line_end == offset) {
            head->length = end + 1;
            break;
        }
        unsigned char first = (unsigned char)data[offset];
        if (first == ' ' || first == '\t') return -1; /* obs-fold */
        size_t colon = offset;
        while (colon < line_end && wbh_is_tchar((unsigned char)data[colon])) colon++;
        if (colon == offset || colon == line_end || data[colon] != ':') return -1; /* no name, or whitespace before : */
        size_t value = colon + 1, value_end = line_end;
        while (value < value_end && (data[value] == ' ' || data[value] == '\t')) value++;
        while (value_end > value && (data[value_end - 1] == ' ' || data[value_end - 1] == '\t')) value_end--;
        for (size_t index = value; index < value_end; index++) {
            unsigned char c = (unsigned char)data[index];
            if ((c < 0x20 && c != '\t') || c == 0x7F) return -1;
        }
        if (head->count == head->capacity) return -2;
        struct wbh_header *header = &head->headers[head->count++];
        header->name = (struct wbh_span){(uint32_t)offset, (uint32_t)(colon - offset)};
        header->value = (struct wbh_span){(uint32_t)value, (uint32_t)(value_end - value)};
        const char *v = data + value;
        size_t v_length = value_end - value;
        if (wbh_span_is(data, header->name, "content-length")) {
            long long parsed = wbh_content_length(v, v_length);
            if (parsed < 0 || (head->content_length >= 0 && head->content_length != parsed)) return -1;
            head->content_length = parsed;
        } else if (wbh_span_is(data, header->name, "transfer-encoding")) {
            struct wbh_coding_count count = {0, 0};
            wbh_each_element(v, v_length, wbh_coding, &count);
            codings += count.elements;
            head->chunked = count.chunked_last;
            if (count.elements == 0) return -1;
        } else if (wbh_span_is(data, header->name, "host")) {
            head->host_count++;
            head->host = header->value;
        } else if (wbh_span_is(data, header->name, "connection")) {
            wbh_each_element(v, v_length, wbh_connection_token, &head->connection);
        } else if (wbh_span_is(data, header->name, "upgrade")) {
            head->has_upgrade = 1;
            head->upgrade = header->value;
        }
        offset = end + 1;
    }
    if (codings > 0 && !(codings == 1 && head->chunked)) {
        if (request) return -1; /* a coding the router cannot frame, or chunked not last or twice */
        head->chunked = 0;
        head->bad_coding = 1;
    }
    if (request && codings > 0 && head->content_length >= 0) return -1;
    if (codings > 0) head->content_length = -1; /* a response: Transfer-Encoding overrides */
    return 1;
}

/* Steps over empty lines before a start line (at most a few, RFC 9112 2.2). */
static size_t wbh_skip_empty_lines(const char *data, size_t length) {
    size_t offset = 0;
    for (int lines = 0; lines < 4; lines++) {
        if (offset < length && data[offset] == '\n') offset++;
        else if (offset + 1 < length && data[offset] == '\r' && data[offset + 1] == '\n') offset += 2;
        else break;
    }
    return offset;
}

/* Whether a target byte is allowed: visible ASCII. */
static int wbh_target_char(unsigned char c) { return c > 0x20 && c < 0x7F; }

/* A request head in data[0..length): 1 (head filled), 0 (incomplete), or -400, -414, -431. */
WBH_UNUSED static int wbh_parse_request(const char *data, size_t length, size_t max_head_bytes, struct wbh_head *head) {
    size_t start = wbh_skip_empty_lines(data, length);
    const char *newline = memchr(data + start, '\n', length - start);
    if (newline == NULL) {
        if (length - start > WBH_REQUEST_LINE_MAX) return -414;
        return length > max_head_bytes ? -431 : 0;
    }
    size_t end = (size_t)(newline - data);
    if (end - start > WBH_REQUEST_LINE_MAX) return -414;
    size_t line_end = end > start && data[end - 1] == '\r' ? end - 1 : end;
    size_t index = start;
    while (index < line_end && wbh_is_tchar((unsigned char)data[index])) index++;
    if (index == start || index - start > 32 || index >= line_end || data[index] != ' ') return -400;
    head->method = (struct wbh_span){(uint32_t)start, (uint32_t)(index - start)};
    size_t target = ++index;
    while (index < line_end && wbh_target_char((unsigned char)data[index])) index++;
    if (index == target || index >= line_end || data[index] != ' ') return -400;
    head->target = (struct wbh_span){(uint32_t)target, (uint32_t)(index - target)};
    index++;
    if (line_end - index != 8 || memcmp(data + index, "HTTP/1.", 7) != 0) return -400;
    char minor = data[index + 7];
    if (minor != '0' && minor != '1') return -400;
    head->minor = minor - '0';
    /* absolute-form (RFC 9112 3.2.2): `http://authority/path` is routed as /path on that host. */
    int absolute = 0;
    struct wbh_span authority = {0, 0};
    head->absolute = 0;
    if (head->target.length > 7 && wbh_equals(data + target, 7, "http://")) {
        size_t host_start = target + 7, host_end = host_start;
        while (host_end < target + head->target.length && data[host_end] != '/' && data[host_end] != '?') host_end++;
        if (host_end == host_start || host_end == target + head->target.length || data[host_end] != '/') return -400;
        if (memchr(data + host_start, '@', host_end - host_start) != NULL) return -400; /* no userinfo */
        authority = (struct wbh_span){(uint32_t)host_start, (uint32_t)(host_end - host_start)};
        head->target = (struct wbh_span){(uint32_t)host_end, (uint32_t)(target + head->target.length - host_end)};
        absolute = 1;
    } else if (data[target] != '/' && !(head->target.length == 1 && data[target] == '*'
                                        && wbh_span_is(data, head->method, "options"))) {
        return -400;
    }
    if (memchr(data + start, '\r', line_end - start) != NULL) return -400;
    int fields = wbh_parse_fields(data, length, end + 1, max_head_bytes, head, 1);
    if (fields == 0) return 0;
    if (fields == -2) return -431;
    if (fields < 0) return -400;
    /* A bare CR anywhere in the head. */
    for (size_t at = end + 1; at + 1 < head->length; at++) {
        if (data[at] == '\r' && data[at + 1] != '\n') return -400;
    }
    if (head->minor == 0 && head->chunked) return -400;
    if (head->host_count > 1 || (head->minor == 1 && head->host_count == 0 && !absolute)) return -400;
    if (absolute) { /* the target's authority stands for Host */
        head->host = authority;
        head->host_count = 1;
        head->absolute = 1;
    }
    return 1;
}

/* A response head in data[0..length): 1, 0, or -502 (malformed or over max_head_bytes). */
WBH_UNUSED static int wbh_parse_response(const char *data, size_t length, size_t max_head_bytes, struct wbh_head *head) {
    const char *newline = memchr(data, '\n', length);
    if (newline == NULL) return length > max_head_bytes ? -502 : 0;
    size_t end = (size_t)(newline - data);
    size_t line_end = end > 0 && data[end - 1] == '\r' ? end - 1 : end;
    if (line_end < 12 || memcmp(data, "HTTP/1.", 7) != 0 || (data[7] != '0' && data[7] != '1') || data[8] != ' ')
        return -502;
    head->minor = data[7] - '0';
    int status = 0;
    for (int index = 9; index < 12; index++) {
        if (data[index] < '0' || data[index] > '9') return -502;
        status = status * 10 + (data[index] - '0');
    }
    if (status < 100) return -502;
    head->status = status;
    if (line_end > 12 && data[12] != ' ') return -502;
    size_t reason = line_end > 12 ? 13 : 12;
    head->reason = (struct wbh_span){(uint32_t)reason, (uint32_t)(line_end - reason)};
    for (size_t index = reason; index < line_end; index++) {
        unsigned char c = (unsigned char)data[index];
        if ((c < 0x20 && c != '\t') || c == 0x7F) return -502;
    }
    int fields = wbh_parse_fields(data, length, end + 1, max_head_bytes, head, 0);
    return fields == 1 ? 1 : fields == 0 ? 0 : -502;
}

/* ---- chunked framing ---- */

enum wbh_chunked_state {
    WBH_CHUNK_SIZE, WBH_CHUNK_EXTENSION, WBH_CHUNK_SIZE_LF, WBH_CHUNK_DATA, WBH_CHUNK_DATA_CR, WBH_CHUNK_DATA_LF,
    WBH_CHUNK_TRAILER_START, WBH_CHUNK_TRAILER, WBH_CHUNK_END_LF, WBH_CHUNK_DONE, WBH_CHUNK_BAD,
};

/* Where a chunked body is. Zero it to start. */
struct wbh_chunked {
    enum wbh_chunked_state state;
    uint64_t remaining; /* DATA: bytes left of this chunk; SIZE: the size so far */
    unsigned digits;
    size_t trailer_bytes;
};

static int wbh_hex(unsigned char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = wbh_lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static void wbh_chunk_size_done(struct wbh_chunked *chunked) {
    if (chunked->remaining == 0) {
        chunked->state = WBH_CHUNK_TRAILER_START;
    } else {
        chunked->state = WBH_CHUNK_DATA;
    }
}

/* Reads data[0..length) as the next bytes of a chunked body: returns how many belong to it
 * (fewer than `length` only once it ended, WBH_CHUNK_DONE, or is bad, WBH_CHUNK_BAD). */
WBH_UNUSED static size_t wbh_chunked_feed(struct wbh_chunked *chunked, const char *data, size_t length) {
    size_t index = 0;
    while (index < length) {
        unsigned char c = (unsigned char)data[index];
        switch (chunked->state) {
        case WBH_CHUNK_SIZE: {
            int digit = wbh_hex(c);
            if (digit >= 0) {
                if (++chunked->digits > 15) { chunked->state = WBH_CHUNK_BAD; return index; }
                chunked->remaining = chunked->remaining * 16 + (uint64_t)digit;
            } else if (chunked->digits == 0) {
                chunked->state = WBH_CHUNK_BAD;
                return index;
            } else if (c == ';' || c == ' ' || c == '\t') {
                chunked->state = WBH_CHUNK_EXTENSION;
            } else if (c == '\r') {
                chunked->state = WBH_CHUNK_SIZE_LF;
            } else if (c == '\n') {
                wbh_chunk_size_done(chunked);
            } else {
                chunked->state = WBH_CHUNK_BAD;
                return index;
            }
            index++;
            break;
        }
        case WBH_CHUNK_EXTENSION:
            if (c == '\r') chunked->state = WBH_CHUNK_SIZE_LF;
            else if (c == '\n') wbh_chunk_size_done(chunked);
            else if ((c < 0x20 && c != '\t') || c == 0x7F) { chunked->state = WBH_CHUNK_BAD; return index; }
            index++;
            break;
        case WBH_CHUNK_SIZE_LF:
            if (c != '\n') { chunked->state = WBH_CHUNK_BAD; return index; }
            wbh_chunk_size_done(chunked);
            index++;
            break;
        case WBH_CHUNK_DATA: {
            size_t take = length - index;
            if ((uint64_t)take > chunked->remaining) take = (size_t)chunked->remaining;
            chunked->remaining -= take;
            index += take;
            if (chunked->remaining == 0) chunked->state = WBH_CHUNK_DATA_CR;
            break;
        }
        case WBH_CHUNK_DATA_CR:
            if (c == '\r') chunked->state = WBH_CHUNK_DATA_LF;
            else if (c == '\n') { chunked->state = WBH_CHUNK_SIZE; chunked->digits = 0; chunked->remaining = 0; }
            else { chunked->state = WBH_CHUNK_BAD; return index; }
            index++;
            break;
        case WBH_CHUNK_DATA_LF:
            if (c != '\n') { chunked->state = WBH_CHUNK_BAD; return index; }
            chunked->state = WBH_CHUNK_SIZE;
            chunked->digits = 0;
            chunked->remaining = 0;
            index++;
            break;
        case WBH_CHUNK_TRAILER_START:
            if (c == '\r') chunked->state = WBH_CHUNK_END_LF;
            else if (c == '\n') { chunked->state = WBH_CHUNK_DONE; return index + 1; }
            else chunked->state = WBH_CHUNK_TRAILER;
            if (++chunked->trailer_bytes > WBH_TRAILERS_MAX) { chunked->state = WBH_CHUNK_BAD; return index; }
            index++;
            break;
        case WBH_CHUNK_TRAILER:
            if (c == '\n') chunked->state = WBH_CHUNK_TRAILER_START;
            if (++chunked->trailer_bytes > WBH_TRAILERS_MAX) { chunked->state = WBH_CHUNK_BAD; return index; }
            index++;
            break;
        case WBH_CHUNK_END_LF:
            if (c != '\n') { chunked->state = WBH_CHUNK_BAD; return index; }
            chunked->state = WBH_CHUNK_DONE;
            return index + 1;
        case WBH_CHUNK_DONE:
        case WBH_CHUNK_BAD:
            return index;
        }
    }
    return index;
}

#endif
