#!/usr/bin/env bash
# Fuzzes the helpers' control-request parsers with libFuzzer on the host; not run in CI.
#   scripts/fuzz-helpers.sh [SECONDS_PER_TARGET]   (default 120)
# Targets (scripts/fuzz/*.c, each compiled with -fsanitize=fuzzer,address,undefined; CHECK and the
# -DWBC_REPLAY main they share are in scripts/fuzz/fuzz-harness.h):
#   fuzz-control  the dialect's parser alone (Sources/HelperSupport/wbuild-control.h): invariants
#                 of every request it accepts, and the same events whatever the read boundaries
#   fuzz-door     wbuild-door's request handling in whole (SET/GET/CONNS/HELLO and its replies)
#   fuzz-http     wbuild-router's HTTP heads and chunked framing (Sources/Router/wbuild-http.h), h2c authority
# The corpus grows in .build/fuzz/corpus-<target>, seeded with valid streams and with every kept
# regression input (scripts/fuzz/regressions/<target>/). A crash or failed check is copied into
# scripts/fuzz/regressions/<target>/: commit it, and the normal test run replays it from then on
# (HelperFuzzRegressionTests compiles the targets with -DWBC_REPLAY and runs every kept input).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-120}
clang=${CLANG:-}
if [ -z "$clang" ]; then
    for candidate in /opt/swift/usr/bin/clang "$(command -v clang || true)"; do
        if [ -n "$candidate" ] && [ -x "$candidate" ]; then clang=$candidate; break; fi
    done
fi
[ -n "$clang" ] || { echo "fuzz-helpers: no clang (install Debian's clang, or set CLANG)" >&2; exit 2; }
out=.build/fuzz
mkdir -p "$out"

seed() { # seed TARGET NAME BYTES (printf format)
    mkdir -p "$out/seeds-$1"
    printf "$3" > "$out/seeds-$1/$2"
}
# fuzz-control: byte 0 = dialect (bit 0, 1 door, run as the router's too) | AUTH first (bit 1) | piece size (bits 2-7).
seed control files '\x0ePUT 644 5 /srv/a.txt\nhelloMKDIR 755 /srv/d\nLINK 3 /srv/l\n../DEL /srv/d\nEND\n'
seed control bodies '\x06PUT 600 14 /srv/x\nDEL /srv/keep\nEND\nEND\n'
seed control control '\x0aRESTART\r\nPID\nHELLO\nEND\n'
seed control door '\x0fSET 10.0.0.1 10.0.0.2\nGET\nCONNS 10.0.0.1\nHELLO\n'
seed control unauthenticated '\x04DEL /srv\nEND\n'
# fuzz-door: byte 0 = AUTH first (bit 0) | piece size (bits 1-7).
seed door set '\x0bSET 10.0.0.1 10.0.0.1 10.0.0.2\nGET\nCONNS 10.0.0.2\nHELLO\nSET\nGET\n'
seed door bad '\x05SET 10.0.0.300\nCONNS\nRELOAD\nHELLO x\n'
seed control router '\x0fBEGIN ab\nROUTE api prefix - 1 /api\nCOMMIT\nSET api 80 http ready 0=10.0.0.1\nTABLE\nEVENTS\n'
# fuzz-http: byte 0 = request (bit 0) | also chunked (bit 1) | piece size (bits 2-7).
seed http request '\x0dPOST /a?b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'
seed http response '\x0cHTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello'
seed http chunked '\x0b5;x=y\r\nhello\r\n0\r\nT: v\r\n\r\n'
# (every input also runs behind an HTTP/2 preface: SETTINGS, then HEADERS with a Huffman :authority)
seed http h2 '\x01\x00\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x0b\x01\x05\x00\x00\x00\x01\x82\x41\x8c\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff'

status=0
for target in control door http; do
    binary="$out/fuzz-$target"
    echo "[fuzz] building $binary with $clang"
    "$clang" -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -I Sources/HelperSupport -I Sources/Supervisor -I Sources/Router -o "$binary" "scripts/fuzz/fuzz-$target.c"
    corpus="$out/corpus-$target"
    regressions="scripts/fuzz/regressions/$target"
    mkdir -p "$corpus" "$regressions"
    rm -f "$out"/artifact-"$target"-*
    echo "[fuzz] $target for ${seconds}s"
    set +e
    "$binary" -max_total_time="$seconds" -max_len=9000 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$out/artifact-$target-" "$corpus" "$out/seeds-$target" "$regressions" 2>&1 | tail -n 25
    set -e
    for artifact in "$out"/artifact-"$target"-*; do
        [ -e "$artifact" ] || continue
        name="$(basename "$artifact")"
        cp "$artifact" "$regressions/${name#artifact-$target-}"
        echo "[fuzz] $target found $name: kept as $regressions/${name#artifact-$target-} (commit it)" >&2
        status=1
    done
done
exit $status
