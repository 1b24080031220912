/*
 * Fuzz target: the control dialect's parser (Sources/HelperSupport/wbuild-control.h), alone.
 *
 * The first byte of an input picks the dialect (bit 0: the door's, run also as the router's),
 * whether a valid AUTH line goes first
 * (bit 1) and the size of the pieces the rest is fed in (bits 2-7); the rest is the stream. Checks:
 *   - no crash, no out-of-bounds access (AddressSanitizer), consumed bytes never exceed what
 *     was given, and every call but NEED_MORE/FATAL makes progress or reports an event;
 *   - every request it reports is well formed: PUT/MKDIR/LINK/DEL paths pass wbc_check_path,
 *     sizes and modes are within the dialect's limits, router arguments pass wbc_check_router,
 *     bodies only follow PUT and LINK and are
 *     exactly as long as their header said;
 *   - the split does not matter: the stream fed whole and fed in pieces gives the same events
 *     (a misparse that depends on where reads end would show here).
 *
 * Built by scripts/fuzz-helpers.sh with libFuzzer; with -DWBC_REPLAY it is a plain program that
 * runs the inputs named on its command line (the regression corpus in the normal test run).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbuild-control.h"

static const char *secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

#define FUZZ_TARGET "fuzz-control"
#include "fuzz-harness.h"

/* The events of one run, serialised, for comparing two runs. */
struct trace {
    char *bytes;
    size_t length, capacity;
};

static void trace_add(struct trace *trace, const void *bytes, size_t length) {
    if (trace->length + length > trace->capacity) {
        trace->capacity = (trace->length + length) * 2 + 256;
        trace->bytes = realloc(trace->bytes, trace->capacity);
        CHECK(trace->bytes != NULL);
    }
    memcpy(trace->bytes + trace->length, bytes, length);
    trace->length += length;
}

static enum wbc_dialect checked_dialect;

static void check_request(const struct wbc_request *request) {
    if (checked_dialect == WBC_ROUTER) {
        CHECK(wbc_check_router(request->verb, request->arguments, strlen(request->arguments)) == NULL);
    }
    switch (request->verb) {
    case WBC_VERB_PUT:
    case WBC_VERB_MKDIR:
    case WBC_VERB_LINK:
    case WBC_VERB_DEL: {
        size_t length = strnlen(request->path, sizeof request->path);
        CHECK(length < sizeof request->path);
        CHECK(wbc_check_path(request->path, length) == NULL);
        CHECK(strstr(request->path, "/../") == NULL && strstr(request->path, "//") == NULL);
        CHECK(request->mode <= 07777);
        CHECK(request->size <= (request->verb == WBC_VERB_LINK ? WBC_LINK_MAX : WBC_SIZE_MAX));
        break;
    }
    default:
        CHECK(request->size == 0);
        break;
    }
}

/* Feeds `data` in pieces of `piece` bytes (0: whole) through a parser; returns the trace. */
static struct trace run(enum wbc_dialect dialect, const uint8_t *data, size_t size, size_t piece) {
    struct trace trace = {0};
    struct wbc_parser parser = {.dialect = dialect, .secret = secret};
    checked_dialect = dialect;
    static struct wbc_request request;
    char *buffer = malloc(size + 1);
    CHECK(buffer != NULL);
    size_t buffered = 0, fed = 0;
    unsigned long long body_left = 0;
    enum wbc_verb body_verb = WBC_VERB_UNKNOWN;
    int done = 0;
    while (!done) {
        size_t more = piece == 0 ? size - fed : (size - fed < piece ? size - fed : piece);
        memcpy(buffer + buffered, data + fed, more);
        buffered += more;
        fed += more;
        size_t start = 0;
        for (;;) {
            struct wbc_event event;
            size_t available = buffered - start;
            size_t used = wbc_parse(&parser, buffer + start, available, &event, &request);
            CHECK(used <= available);
            start += used;
            char kind = (char)('0' + event.kind);
            if (event.kind == WBC_NEED_MORE) {
                CHECK(used == 0);
                break;
            }
            if (event.kind == WBC_FATAL) {
                CHECK(used == 0 && event.why != NULL);
                trace_add(&trace, &kind, 1);
                trace_add(&trace, event.why, strlen(event.why));
                done = 1;
                break;
            }
            if (event.kind == WBC_BODY) {
                CHECK(body_verb == WBC_VERB_PUT || body_verb == WBC_VERB_LINK);
                CHECK(event.body_length > 0 && event.body_length <= body_left && used == event.body_length);
                body_left -= event.body_length;
                CHECK(event.body_done == (body_left == 0));
                /* Bodies are traced as bytes, not by how they were cut. */
                trace_add(&trace, event.body, event.body_length);
                continue;
            }
            CHECK(used > 0);
            CHECK(body_left == 0);
            trace_add(&trace, &kind, 1);
            if (event.kind == WBC_REQUEST) {
                check_request(&request);
                char line[WBC_PATH_MAX + WBC_LINE_MAX + 64];
                int length = snprintf(line, sizeof line, "%d %o %llu %s|%s|", request.verb, request.mode, request.size,
                                      request.path, request.arguments);
                trace_add(&trace, line, (size_t)length);
                if (request.verb == WBC_VERB_PUT || request.verb == WBC_VERB_LINK) {
                    body_left = request.size;
                    body_verb = request.verb;
                }
            }
        }
        memmove(buffer, buffer + start, buffered - start);
        buffered -= start;
        if (fed == size) done = 1;
    }
    free(buffer);
    return trace;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    uint8_t control = data[0];
    enum wbc_dialect dialect = (control & 1) ? WBC_DOOR : WBC_SUPERVISOR;
    size_t piece = (size_t)(control >> 2); /* 0: whole */
    size_t length = size - 1;
    uint8_t *stream = malloc(length + WBC_SECRET_LENGTH + 8);
    CHECK(stream != NULL);
    size_t offset = 0;
    if (control & 2) {
        offset = (size_t)sprintf((char *)stream, "AUTH %s\n", secret);
    }
    memcpy(stream + offset, data + 1, length);
    for (int pass = 0; pass < (dialect == WBC_DOOR ? 2 : 1); pass++) {
        enum wbc_dialect this = pass == 1 ? WBC_ROUTER : dialect;
        struct trace whole = run(this, stream, offset + length, 0);
        struct trace pieces = run(this, stream, offset + length, piece == 0 ? 1 : piece);
        CHECK(whole.length == pieces.length && (whole.length == 0 || memcmp(whole.bytes, pieces.bytes, whole.length) == 0));
        free(whole.bytes);
        free(pieces.bytes);
    }
    free(stream);
    return 0;
}
