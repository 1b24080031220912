/*
 * Fuzz target: wbuild-router's HTTP/1.1 head parsers and chunked framing
 * (Sources/Router/wbuild-http.h) and its h2c authority reader (Sources/Router/wbuild-h2-authority.h),
 * alone.
 *
 * The first byte of an input picks what is fuzzed (bit 0: a request head, else a response
 * head; bit 1: also run the rest as a chunked body) and the size of the pieces (bits 2-7); the
 * rest is the bytes. Checks:
 *   - no crash, no out-of-bounds access (AddressSanitizer);
 *   - a parsed head lies within the bytes given: its length, every span, at most `capacity`
 *     headers; a request never has both a Content-Length and chunked, always a Host on
 *     HTTP/1.1, a method of token characters and a target starting with / (or `*`);
 *   - the split does not matter: parsing the bytes received so far after each piece gives, at
 *     the first piece that completes the head, the same result as the whole; chunked framing
 *     fed in pieces consumes as much and ends in the same state as fed whole;
 *   - the rest behind an HTTP/2 preface: wbh2_authority never reads out of bounds, an authority
 *     it finds fits its buffer, and every prefix of the bytes says NEED_MORE or what the whole says
 *     (once the first header block is complete, more bytes change nothing).
 *
 * Built by scripts/fuzz-helpers.sh with libFuzzer; with -DWBC_REPLAY it is a plain program that
 * runs the inputs named on its command line (the regression corpus in the normal test run).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wbuild-http.h"
#include "wbuild-h2-authority.h"

#define FUZZ_TARGET "fuzz-http"
#include "fuzz-harness.h"

#define CAPACITY 16
#define MAX_BYTES 1024

static int parse(int request, const char *data, size_t length, struct wbh_head *head) {
    return request ? wbh_parse_request(data, length, MAX_BYTES, head) : wbh_parse_response(data, length, MAX_BYTES, head);
}

static void check_span(struct wbh_span span, size_t length) {
    CHECK((size_t)span.offset + span.length <= length);
}

static void check_head(int request, const char *data, const struct wbh_head *head) {
    CHECK(head->length > 0 && head->length <= MAX_BYTES);
    CHECK(head->count >= 0 && head->count <= head->capacity);
    for (int index = 0; index < head->count; index++) {
        check_span(head->headers[index].name, head->length);
        check_span(head->headers[index].value, head->length);
        CHECK(head->headers[index].name.length > 0);
    }
    CHECK(head->minor == 0 || head->minor == 1);
    if (request) {
        check_span(head->method, head->length);
        check_span(head->target, head->length);
        CHECK(head->method.length > 0 && head->target.length > 0);
        for (uint32_t at = 0; at < head->method.length; at++) CHECK(wbh_is_tchar((unsigned char)data[head->method.offset + at]));
        CHECK(data[head->target.offset] == '/' || (head->target.length == 1 && data[head->target.offset] == '*'));
        CHECK(!(head->chunked && head->content_length >= 0));
        CHECK(head->minor == 0 || head->host_count == 1);
        CHECK(!(head->minor == 0 && head->chunked));
    } else {
        CHECK(head->status >= 100 && head->status <= 999);
        check_span(head->reason, head->length);
    }
}

static void h2(const char *data, size_t length) {
    static struct wbh2_decoder decoder;
    uint8_t *bytes = malloc(WBH2_PREFACE_LENGTH + length + 1);
    CHECK(bytes != NULL);
    memcpy(bytes, WBH2_PREFACE, WBH2_PREFACE_LENGTH);
    memcpy(bytes + WBH2_PREFACE_LENGTH, data, length);
    size_t total = WBH2_PREFACE_LENGTH + length;
    char authority[64], first[64];
    size_t authority_length = 0, first_length = 0;
    int whole = wbh2_authority(bytes, total, &decoder, authority, sizeof authority, &authority_length);
    CHECK(whole == WBH2_FOUND || whole == WBH2_NONE || whole == WBH2_NEED_MORE);
    if (whole == WBH2_FOUND) CHECK(authority_length < sizeof authority && strlen(authority) == authority_length);
    int decided = 0;
    for (size_t end = 0; end <= total && !decided; end += 7) {
        int result = wbh2_authority(bytes, end, &decoder, first, sizeof first, &first_length);
        if (end < WBH2_PREFACE_LENGTH) CHECK(result == WBH2_NEED_MORE);
        if (result != WBH2_NEED_MORE) {
            CHECK(result == whole);
            if (result == WBH2_FOUND) CHECK(first_length == authority_length && memcmp(first, authority, first_length) == 0);
            decided = 1;
        }
    }
    free(bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size) {
    if (size < 1) return 0;
    int request = bytes[0] & 1;
    int chunked = (bytes[0] >> 1) & 1;
    size_t piece = (size_t)(bytes[0] >> 2) + 1;
    const char *data = (const char *)bytes + 1;
    size_t length = size - 1;

    struct wbh_header whole_headers[CAPACITY], piece_headers[CAPACITY];
    struct wbh_head whole = {.headers = whole_headers, .capacity = CAPACITY};
    int whole_result = parse(request, data, length, &whole);
    if (whole_result == 1) check_head(request, data, &whole);
    else CHECK(whole_result == 0 || whole_result == -400 || whole_result == -414 || whole_result == -431 || whole_result == -502);

    /* Pieces: the first prefix that decides (complete or an error) decides as the whole does,
     * but for the limits, which a longer prefix may only reach later. */
    for (size_t end = piece < length ? piece : length; end <= length; end += piece) {
        struct wbh_head partial = {.headers = piece_headers, .capacity = CAPACITY};
        int result = parse(request, data, end, &partial);
        if (result == 1) {
            CHECK(whole_result == 1);
            CHECK(partial.length == whole.length && partial.count == whole.count);
            CHECK(partial.content_length == whole.content_length && partial.chunked == whole.chunked);
            break;
        }
        if (result < 0) {
            if (result != -414 && result != -431 && result != -502) CHECK(result == whole_result);
            break;
        }
        if (end == length) {
            CHECK(whole_result == 0);
            break;
        }
        if (end + piece > length) end = length - piece;
    }

    if (chunked) {
        struct wbh_chunked all = {0}, split = {0};
        size_t taken_all = wbh_chunked_feed(&all, data, length);
        CHECK(taken_all <= length);
        CHECK(taken_all == length || all.state == WBH_CHUNK_DONE || all.state == WBH_CHUNK_BAD);
        size_t taken_split = 0;
        while (taken_split < length && split.state != WBH_CHUNK_DONE && split.state != WBH_CHUNK_BAD) {
            size_t give = length - taken_split < piece ? length - taken_split : piece;
            size_t took = wbh_chunked_feed(&split, data + taken_split, give);
            CHECK(took <= give);
            taken_split += took;
            if (took < give) break;
        }
        CHECK(split.state == all.state);
        CHECK(taken_split == taken_all);
    }
    h2(data, length);
    return 0;
}
