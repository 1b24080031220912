/*
 * wbuild-h2-authority.h: the host an HTTP/2 prior-knowledge (h2c) connection asks for, so
 * wbuild-router (Sources/Router/wbuild-router.c) can route the connection by host and then
 * tunnel it whole to a backend that speaks HTTP/2 itself.
 *
 * Header only, free of I/O: wbh2_authority is a pure function of the connection's first bytes.
 * It reads the client preface and the frames after it up to the end of the first header block
 * (HEADERS and its CONTINUATIONs, RFC 9113 6.2 and 6.10; SETTINGS, WINDOW_UPDATE, PRIORITY and
 * PING before it are stepped over) and decodes that block with HPACK (RFC 7541) far enough to
 * find `:authority` (or, failing that, `host`): indexed fields, literals with and without
 * indexing and never indexed, names from the static table or the block's own dynamic table,
 * Huffman-coded strings, dynamic table size updates. An authority that is not visible ASCII is
 * no authority. The Huffman code is the canonical code of
 * RFC 7541 Appendix B, built here from its code lengths alone.
 */
#ifndef WBUILD_H2_AUTHORITY_H
#define WBUILD_H2_AUTHORITY_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define WBH2_UNUSED __attribute__((unused))

#define WBH2_PREFACE "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
#define WBH2_PREFACE_LENGTH 24
/* Bytes of a first header block this reads (a request's headers are far smaller). */
#define WBH2_BLOCK_MAX 16384
/* Bytes of the decoded strings it keeps (the values of :authority and host entries). */
#define WBH2_STRINGS_MAX 8192
#define WBH2_DYNAMIC_MAX 128
#define WBH2_TABLE_SIZE_MAX 4096

enum wbh2_result {
    WBH2_NOT_H2 = -2,  /* the bytes are not an HTTP/2 preface */
    WBH2_NONE = -1,    /* malformed, too large, or no :authority or host in the first block */
    WBH2_NEED_MORE = 0,
    WBH2_FOUND = 1,
};

/* Whether the `length` bytes could be the start of the client preface (all of it once 24). */
WBH2_UNUSED static int wbh2_is_preface(const char *data, size_t length) {
    size_t compare = length < WBH2_PREFACE_LENGTH ? length : WBH2_PREFACE_LENGTH;
    return memcmp(data, WBH2_PREFACE, compare) == 0;
}

/* The code length of each symbol (0-255, 256 = EOS), RFC 7541 Appendix B. */
static const uint8_t wbh2_code_lengths[257] = {
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
    13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
    15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
    20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
    22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
    20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
    30,
};

/* The canonical code, for decoding: per length, the first code, how many codes and where their
 * symbols start in `symbols` (ordered by length, then symbol). */
struct wbh2_huffman {
    uint32_t first[31];
    uint16_t count[31];
    uint16_t start[31];
    uint16_t symbols[257];
};

static void wbh2_huffman_build(struct wbh2_huffman *code) {
    memset(code, 0, sizeof *code);
    for (int symbol = 0; symbol < 257; symbol++) code->count[wbh2_code_lengths[symbol]]++;
    uint32_t next = 0;
    uint16_t position = 0;
    for (int length = 1; length <= 30; length++) {
        next = (next + (length > 1 ? code->count[length - 1] : 0)) << (length > 1 ? 1 : 0);
        code->first[length] = next;
        code->start[length] = position;
        position = (uint16_t)(position + code->count[length]);
    }
    uint16_t filled[31] = {0};
    for (int symbol = 0; symbol < 257; symbol++) {
        int length = wbh2_code_lengths[symbol];
        code->symbols[code->start[length] + filled[length]++] = (uint16_t)symbol;
    }
}

/* Decodes `length` Huffman-coded bytes into out (at most `size`); the decoded length, or -1. */
static long wbh2_huffman_decode(const struct wbh2_huffman *code, const uint8_t *data, size_t length, char *out, size_t size) {
    size_t written = 0;
    uint32_t value = 0;
    int bits = 0;
    int all_ones = 1;
    for (size_t index = 0; index < length; index++) {
        for (int bit = 7; bit >= 0; bit--) {
            int one = (data[index] >> bit) & 1;
            value = (value << 1) | (uint32_t)one;
            bits++;
            all_ones = all_ones && one;
            if (bits > 30) return -1;
            if (code->count[bits] > 0 && value >= code->first[bits] && value - code->first[bits] < code->count[bits]) {
                uint16_t symbol = code->symbols[code->start[bits] + (value - code->first[bits])];
                if (symbol == 256) return -1; /* EOS inside a string */
                if (written == size) return -1;
                out[written++] = (char)symbol;
                value = 0;
                bits = 0;
                all_ones = 1;
            }
        }
    }
    /* Padding: fewer than 8 bits, all ones (a prefix of EOS). */
    if (bits > 7 || !all_ones) return -1;
    return (long)written;
}

/* An HPACK integer with an N-bit prefix at data[*offset]; 0, or -1 if truncated or too large. */
static int wbh2_integer(const uint8_t *data, size_t length, size_t *offset, int prefix, uint32_t *value) {
    if (*offset >= length) return -1;
    uint32_t mask = (1u << prefix) - 1;
    uint32_t result = data[(*offset)++] & mask;
    if (result < mask) {
        *value = result;
        return 0;
    }
    for (int shift = 0; shift <= 21; shift += 7) {
        if (*offset >= length) return -1;
        uint8_t byte = data[(*offset)++];
        result += (uint32_t)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *value = result;
            return 0;
        }
    }
    return -1;
}

/* What a header name is, as far as routing cares. */
enum wbh2_name { WBH2_OTHER, WBH2_AUTHORITY, WBH2_HOST };

/* The lengths of the static table's names (RFC 7541 Appendix A), for dynamic table sizes. */
static const uint8_t wbh2_static_name_lengths[62] = {
    0, 10, 7, 7, 5, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 14, 15, 15, 13, 6, 27, 3, 5, 13, 13, 19, 16, 16, 14, 16, 13, 12,
    6, 4, 4, 6, 7, 4, 4, 8, 17, 13, 8, 19, 13, 4, 8, 12, 18, 19, 5, 7, 7, 11, 6, 10, 25, 17, 10, 4, 3, 16,
};

struct wbh2_entry {
    enum wbh2_name name;
    uint32_t size;       /* name + value + 32 */
    uint32_t value;      /* offset in strings (authority and host only) */
    uint32_t value_length;
};

struct wbh2_decoder {
    struct wbh2_huffman huffman;
    struct wbh2_entry entries[WBH2_DYNAMIC_MAX]; /* newest first */
    int count;
    uint32_t size, max_size;
    char strings[WBH2_STRINGS_MAX];
    size_t strings_used;
};

static void wbh2_evict(struct wbh2_decoder *decoder) {
    while (decoder->count > 0 && decoder->size > decoder->max_size) {
        decoder->size -= decoder->entries[decoder->count - 1].size;
        decoder->count--;
    }
}

/* A string literal at data[*offset] into decoder->strings; its offset and length, or -1. */
static int wbh2_string(struct wbh2_decoder *decoder, const uint8_t *data, size_t length, size_t *offset, uint32_t *start,
                       uint32_t *string_length, uint32_t *raw_length) {
    if (*offset >= length) return -1;
    int huffman = data[*offset] & 0x80;
    uint32_t size;
    if (wbh2_integer(data, length, offset, 7, &size) != 0 || size > length - *offset) return -1;
    char *out = decoder->strings + decoder->strings_used;
    size_t room = WBH2_STRINGS_MAX - decoder->strings_used;
    long decoded;
    if (huffman) {
        decoded = wbh2_huffman_decode(&decoder->huffman, data + *offset, size, out, room);
    } else {
        decoded = size <= room ? (long)size : -1;
        if (decoded >= 0) memcpy(out, data + *offset, size);
    }
    if (decoded < 0) return -1;
    *offset += size;
    *start = (uint32_t)decoder->strings_used;
    *string_length = (uint32_t)decoded;
    *raw_length = (uint32_t)decoded;
    return 0;
}

/* The entry at HPACK index `index` (1-61 static, then dynamic); 0, or -1 if there is none. */
static int wbh2_lookup(const struct wbh2_decoder *decoder, uint32_t index, enum wbh2_name *name, uint32_t *name_length,
                       const struct wbh2_entry **entry) {
    *entry = NULL;
    if (index == 0) return -1;
    if (index <= 61) {
        *name = index == 1 ? WBH2_AUTHORITY : index == 38 ? WBH2_HOST : WBH2_OTHER;
        *name_length = wbh2_static_name_lengths[index];
        return 0;
    }
    if (index - 62 >= (uint32_t)decoder->count) return -1;
    *entry = &decoder->entries[index - 62];
    *name = (*entry)->name;
    *name_length = 0; /* not needed: a dynamic name's entry size is known */
    return 0;
}

/* Whether a host value is one a router can compare: visible ASCII, no NUL, space or control. */
static int wbh2_sane_host(const char *text, size_t length) {
    for (size_t index = 0; index < length; index++) {
        unsigned char c = (unsigned char)text[index];
        if (c <= 0x20 || c >= 0x7f) return 0;
    }
    return 1;
}

/* Decodes a header block; WBH2_FOUND with the authority (or host) copied out, or WBH2_NONE. */
static int wbh2_decode_block(struct wbh2_decoder *decoder, const uint8_t *block, size_t length, char *authority, size_t size,
                             size_t *authority_length) {
    int have_host = 0;
    uint32_t host_start = 0, host_length = 0;
    size_t offset = 0;
    while (offset < length) {
        uint8_t first = block[offset];
        enum wbh2_name name = WBH2_OTHER;
        uint32_t name_length = 0, value_start = 0, value_length = 0, raw = 0, index;
        const struct wbh2_entry *entry;
        int add = 0;
        if (first & 0x80) { /* indexed field */
            if (wbh2_integer(block, length, &offset, 7, &index) != 0 || wbh2_lookup(decoder, index, &name, &name_length, &entry) != 0)
                return WBH2_NONE;
            if (entry != NULL) {
                value_start = entry->value;
                value_length = entry->value_length;
            }
        } else if ((first & 0xe0) == 0x20) { /* dynamic table size update */
            if (wbh2_integer(block, length, &offset, 5, &index) != 0 || index > WBH2_TABLE_SIZE_MAX) return WBH2_NONE;
            decoder->max_size = index;
            wbh2_evict(decoder);
            continue;
        } else {
            int prefix = (first & 0xc0) == 0x40 ? 6 : 4; /* incremental indexing; without or never indexed */
            add = prefix == 6;
            if (wbh2_integer(block, length, &offset, prefix, &index) != 0) return WBH2_NONE;
            if (index == 0) {
                uint32_t start, string_length;
                if (wbh2_string(decoder, block, length, &offset, &start, &string_length, &raw) != 0) return WBH2_NONE;
                const char *text = decoder->strings + start;
                name = string_length == 10 && memcmp(text, ":authority", 10) == 0 ? WBH2_AUTHORITY
                       : string_length == 4 && memcmp(text, "host", 4) == 0      ? WBH2_HOST
                                                                                 : WBH2_OTHER;
                name_length = string_length; /* the name's bytes are not kept */
            } else {
                if (wbh2_lookup(decoder, index, &name, &name_length, &entry) != 0) return WBH2_NONE;
                if (entry != NULL) name_length = entry->size - 32 - entry->value_length;
            }
            if (wbh2_string(decoder, block, length, &offset, &value_start, &value_length, &raw) != 0) return WBH2_NONE;
            if (name != WBH2_OTHER) decoder->strings_used += value_length; /* keep the value */
        }
        if (add) {
            uint32_t entry_size = name_length + value_length + 32;
            if (entry_size > decoder->max_size) {
                decoder->count = 0;
                decoder->size = 0;
            } else {
                decoder->size += entry_size;
                wbh2_evict(decoder); /* the oldest give way (the new one fits alone) */
                if (decoder->count == WBH2_DYNAMIC_MAX) return WBH2_NONE;
                memmove(&decoder->entries[1], &decoder->entries[0], sizeof decoder->entries[0] * (size_t)decoder->count);
                decoder->entries[0] = (struct wbh2_entry){name, entry_size, value_start, value_length};
                decoder->count++;
            }
        }
        if (name == WBH2_AUTHORITY && value_length > 0) {
            if (value_length >= size || !wbh2_sane_host(decoder->strings + value_start, value_length)) return WBH2_NONE;
            memcpy(authority, decoder->strings + value_start, value_length);
            authority[value_length] = '\0';
            *authority_length = value_length;
            return WBH2_FOUND;
        }
        if (name == WBH2_HOST && value_length > 0 && !have_host) {
            have_host = 1;
            host_start = value_start;
            host_length = value_length;
        }
    }
    if (!have_host || host_length >= size || !wbh2_sane_host(decoder->strings + host_start, host_length)) return WBH2_NONE;
    memcpy(authority, decoder->strings + host_start, host_length);
    authority[host_length] = '\0';
    *authority_length = host_length;
    return WBH2_FOUND;
}

/* From a connection's first `length` bytes (the preface included): WBH2_FOUND and the first
 * request's :authority (or host) in `authority` (NUL-terminated, at most size - 1 bytes),
 * WBH2_NEED_MORE, WBH2_NOT_H2, or WBH2_NONE. `decoder` is scratch space. */
WBH2_UNUSED static int wbh2_authority(const uint8_t *data, size_t length, struct wbh2_decoder *decoder, char *authority, size_t size,
                                      size_t *authority_length) {
    if (!wbh2_is_preface((const char *)data, length)) return WBH2_NOT_H2;
    if (length < WBH2_PREFACE_LENGTH) return WBH2_NEED_MORE;
    uint8_t block[WBH2_BLOCK_MAX];
    size_t block_length = 0;
    uint32_t stream = 0;
    int in_block = 0;
    size_t offset = WBH2_PREFACE_LENGTH;
    for (;;) {
        if (length - offset < 9) return WBH2_NEED_MORE;
        const uint8_t *frame = data + offset;
        uint32_t frame_length = ((uint32_t)frame[0] << 16) | ((uint32_t)frame[1] << 8) | frame[2];
        uint8_t type = frame[3], flags = frame[4];
        uint32_t frame_stream = (((uint32_t)frame[5] << 24) | ((uint32_t)frame[6] << 16) | ((uint32_t)frame[7] << 8) | frame[8]) & 0x7fffffffu;
        if (frame_length > WBH2_BLOCK_MAX) return WBH2_NONE;
        if (length - offset - 9 < frame_length) return WBH2_NEED_MORE;
        const uint8_t *payload = frame + 9;
        offset += 9 + frame_length;
        if (!in_block) {
            if (type == 0x4 || type == 0x8 || type == 0x2 || type == 0x6) continue; /* SETTINGS, WINDOW_UPDATE, PRIORITY, PING */
            if (type != 0x1 || frame_stream == 0) return WBH2_NONE;
            size_t start = 0, end = frame_length;
            if (flags & 0x8) { /* PADDED */
                if (frame_length < 1 || payload[0] >= frame_length) return WBH2_NONE;
                end -= payload[0];
                start = 1;
            }
            if (flags & 0x20) start += 5; /* PRIORITY */
            if (start > end) return WBH2_NONE;
            memcpy(block, payload + start, end - start);
            block_length = end - start;
            stream = frame_stream;
            in_block = 1;
        } else {
            if (type != 0x9 || frame_stream != stream || block_length + frame_length > WBH2_BLOCK_MAX) return WBH2_NONE;
            memcpy(block + block_length, payload, frame_length);
            block_length += frame_length;
        }
        if (flags & 0x4) break; /* END_HEADERS */
    }
    memset(decoder, 0, sizeof *decoder);
    wbh2_huffman_build(&decoder->huffman);
    decoder->max_size = WBH2_TABLE_SIZE_MAX;
    return wbh2_decode_block(decoder, block, block_length, authority, size, authority_length);
}

#endif
