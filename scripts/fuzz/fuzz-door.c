/*
 * Fuzz target: the front door's control requests as wbuild-door itself handles them
 * (Sources/Door/wbuild-door.c, compiled in whole with its main renamed): the dialect's parser
 * feeding SET (addresses, duplicates, the 64-backend limit), GET, CONNS and HELLO, with the
 * replies written to a socket pair that this harness drains.
 *
 * The first byte of an input picks whether a valid AUTH line goes first (bit 0) and the size of
 * the pieces the rest arrives in (bits 1-7). Checks: no crash or out-of-bounds access
 * (AddressSanitizer), every reply is one line starting `OK` or `ERR `, the backend set never
 * holds more than MAX_BACKENDS or a duplicate, and a connection that was refused gets no reply
 * after its ERR.
 *
 * Built by scripts/fuzz-helpers.sh with libFuzzer; with -DWBC_REPLAY it is a plain program that
 * runs the inputs named on its command line.
 */
#define main wbuild_door_main
#include "../../Sources/Door/wbuild-door.c"
#undef main

#define FUZZ_TARGET "fuzz-door"
#include "fuzz-harness.h"

static const char *fuzz_secret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/* Reads what the door replied so far and checks each line. */
static void check_replies(int fd, char *pending, size_t *pending_length, int *refused) {
    for (;;) {
        ssize_t got = recv(fd, pending + *pending_length, 65536 - *pending_length, MSG_DONTWAIT);
        if (got <= 0) break;
        *pending_length += (size_t)got;
        char *newline;
        while ((newline = memchr(pending, '\n', *pending_length)) != NULL) {
            size_t length = (size_t)(newline - pending);
            CHECK(!*refused); /* nothing after the ERR that refused the connection */
            CHECK((length >= 2 && memcmp(pending, "OK", 2) == 0) || (length >= 4 && memcmp(pending, "ERR ", 4) == 0));
            CHECK(memchr(pending, '\0', length) == NULL);
            memmove(pending, newline + 1, *pending_length - length - 1);
            *pending_length -= length + 1;
        }
        CHECK(*pending_length < 65536);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    size_t piece = (size_t)(data[0] >> 1);
    if (piece == 0) piece = 1;
    int sockets[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) == 0);
    int big = 1 << 20;
    setsockopt(sockets[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof big);
    memcpy(secret, fuzz_secret, WBC_SECRET_LENGTH + 1);
    have_secret = 1;
    backend_count = 0;

    struct control *control = calloc(1, sizeof *control);
    CHECK(control != NULL);
    control->kind = KIND_CONTROL;
    control->fd = sockets[0];
    control->parser.dialect = WBC_DOOR;
    control->parser.secret = secret;
    control->interest = EPOLLIN;
    control_count++;
    control->next = controls;
    if (controls != NULL) controls->previous = control;
    controls = control;

    char stream[70000];
    size_t stream_length = 0;
    if (data[0] & 1) stream_length = (size_t)sprintf(stream, "AUTH %s\n", fuzz_secret);
    size_t rest = size - 1 < sizeof stream - stream_length ? size - 1 : sizeof stream - stream_length;
    memcpy(stream + stream_length, data + 1, rest);
    stream_length += rest;

    static char pending[65536];
    size_t pending_length = 0;
    int refused = 0;
    size_t fed = 0;
    while (fed < stream_length && !control->dead && !control->draining) {
        size_t room = sizeof control->in - control->in_length;
        size_t take = stream_length - fed < piece ? stream_length - fed : piece;
        if (take > room) take = room;
        memcpy(control->in + control->in_length, stream + fed, take);
        control->in_length += take;
        fed += take;
        int closing_before = control->closing;
        while (serve_control(control) == 0 && control->out_length == 0 && !control->closing
               && memchr(control->in, '\n', control->in_length) != NULL) {
        }
        check_replies(sockets[1], pending, &pending_length, &refused);
        if ((control->closing || control->draining) && !closing_before) refused = 1;
        CHECK(backend_count >= 0 && backend_count <= MAX_BACKENDS);
        for (int a = 0; a < backend_count; a++)
            for (int b = a + 1; b < backend_count; b++) CHECK(!same_address(backends[a], backends[b]));
        if (take == 0) break; /* the input buffer is full and nothing was consumed: closed as too long */
    }
    check_replies(sockets[1], pending, &pending_length, &refused);
    if (!control->dead) close_control(control);
    bury_dead();
    close(sockets[1]);
    return 0;
}
