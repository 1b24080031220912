/*
 * wbuild-dns.h: a minimal DNS client for the statically linked router, which has no NSS: asks
 * one name server (the first IPv4 `nameserver` of /etc/resolv.conf, or one given) for the A
 * records of a name over UDP (RFC 1035), one question, recursion desired, no search domains.
 * On Swarm the engine's embedded server (127.0.0.11) answers `tasks.<service>` with the
 * addresses of the service's running tasks, which is how the router finds its backends there.
 */
#ifndef WBUILD_DNS_H
#define WBUILD_DNS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WBD_MAX_ADDRESSES 64

/* The first IPv4 `nameserver` of `path` into *server (port 53); 0, or -1 when there is none. */
static int wbd_resolv_conf_server(const char *path, struct sockaddr_in *server) {
    FILE *file = fopen(path, "r");
    if (file == NULL) return -1;
    char line[256];
    int found = -1;
    while (found != 0 && fgets(line, sizeof line, file) != NULL) {
        char address[64];
        if (sscanf(line, " nameserver %63s", address) != 1) continue;
        memset(server, 0, sizeof *server);
        server->sin_family = AF_INET;
        server->sin_port = htons(53);
        if (inet_pton(AF_INET, address, &server->sin_addr) == 1) found = 0;
    }
    fclose(file);
    return found;
}

/* Writes the query for `name`'s A records into `packet`; its length, or -1 for a bad name. */
static int wbd_build_query(const char *name, uint16_t id, unsigned char *packet, size_t capacity) {
    if (capacity < 12 + 256 + 4) return -1;
    unsigned char header[12] = {(unsigned char)(id >> 8), (unsigned char)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(packet, header, sizeof header);
    size_t at = 12;
    const char *label = name;
    while (*label != '\0') {
        const char *dot = strchr(label, '.');
        size_t length = dot != NULL ? (size_t)(dot - label) : strlen(label);
        if (length == 0 || length > 63 || at + length + 1 > 12 + 255) return -1;
        packet[at++] = (unsigned char)length;
        memcpy(packet + at, label, length);
        at += length;
        label += length;
        if (*label == '.') label++;
    }
    packet[at++] = 0;
    packet[at++] = 0; packet[at++] = 1; /* QTYPE A */
    packet[at++] = 0; packet[at++] = 1; /* QCLASS IN */
    return (int)at;
}

/* Skips a (possibly compressed) name at *at; -1 when it runs past the packet. */
static int wbd_skip_name(const unsigned char *packet, size_t length, size_t *at) {
    for (int labels = 0; labels < 128; labels++) {
        if (*at >= length) return -1;
        unsigned char byte = packet[*at];
        if ((byte & 0xC0) == 0xC0) {
            if (*at + 2 > length) return -1;
            *at += 2;
            return 0;
        }
        if (byte == 0) {
            *at += 1;
            return 0;
        }
        *at += 1 + (size_t)byte;
    }
    return -1;
}

/* The A records of an answer to query `id`, sorted, into addresses; their count, -1 for a
 * malformed or mismatched answer, -2 when the server says the name does not exist. */
static int wbd_parse_answer(const unsigned char *packet, size_t length, uint16_t id, struct in_addr *addresses, int capacity) {
    if (length < 12 || ((packet[0] << 8) | packet[1]) != id || (packet[2] & 0x80) == 0) return -1;
    int rcode = packet[3] & 0x0F;
    if (rcode == 3) return -2;
    if (rcode != 0) return -1;
    int questions = (packet[4] << 8) | packet[5], answers = (packet[6] << 8) | packet[7];
    size_t at = 12;
    for (int q = 0; q < questions; q++) {
        if (wbd_skip_name(packet, length, &at) != 0 || at + 4 > length) return -1;
        at += 4;
    }
    int count = 0;
    for (int a = 0; a < answers; a++) {
        if (wbd_skip_name(packet, length, &at) != 0 || at + 10 > length) return -1;
        int type = (packet[at] << 8) | packet[at + 1], class = (packet[at + 2] << 8) | packet[at + 3];
        size_t data_length = (size_t)((packet[at + 8] << 8) | packet[at + 9]);
        at += 10;
        if (at + data_length > length) return -1;
        if (type == 1 && class == 1 && data_length == 4 && count < capacity) memcpy(&addresses[count++], packet + at, 4);
        at += data_length;
    }
    /* Sorted, so the same set is the same list whatever order the server chose. */
    for (int i = 1; i < count; i++) {
        struct in_addr key = addresses[i];
        int j = i - 1;
        while (j >= 0 && ntohl(addresses[j].s_addr) > ntohl(key.s_addr)) {
            addresses[j + 1] = addresses[j];
            j--;
        }
        addresses[j + 1] = key;
    }
    return count;
}

/* Asks `server` for `name`'s A records, waiting up to timeout_ms; the count (0 for a name that
 * does not exist or has none), or -1 when no valid answer came. */
static int wbd_resolve(const struct sockaddr_in *server, const char *name, int timeout_ms, struct in_addr *addresses, int capacity) {
    unsigned char query[512];
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    uint16_t id = (uint16_t)(now.tv_nsec ^ (now.tv_sec << 7) ^ getpid());
    int query_length = wbd_build_query(name, id, query, sizeof query);
    if (query_length < 0) return -1;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int result = -1;
    if (connect(fd, (const struct sockaddr *)server, sizeof *server) == 0 && send(fd, query, (size_t)query_length, 0) == query_length) {
        unsigned char answer[4096];
        struct pollfd poller = {.fd = fd, .events = POLLIN};
        while (poll(&poller, 1, timeout_ms) == 1) {
            ssize_t got = recv(fd, answer, sizeof answer, 0);
            if (got <= 0) break;
            result = wbd_parse_answer(answer, (size_t)got, id, addresses, capacity);
            if (result == -2) result = 0;
            if (result >= 0) break; /* a stray datagram: wait for ours */
        }
    }
    close(fd);
    return result;
}

#endif
