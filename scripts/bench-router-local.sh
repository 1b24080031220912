#!/usr/bin/env bash
# bench-router-local.sh: a container-free micro-benchmark of wbuild-router (Benchmarks/README.md,
# suite "router", done on loopback in seconds). It
#   - compiles Benchmarks/backend/bench-http.c and Sources/Router/wbuild-router.c statically with
#     the flags the build plugin uses (Sources/SupervisorBuilder/plugin.swift), into a temp dir;
#   - runs bench-http on 127.0.0.1:BACKEND, the router on 127.0.0.1 (--listen, --control,
#     --secret-file) and pushes it the table `ROUTE api prefix - 0 /api` and
#     `SET api BACKEND http ready 0=127.0.0.1` over the control port (python3);
#   - runs nginx (Debian nginx-light; installed if missing with its service kept from starting, as
#     scripts/bench.sh does) in the foreground with the same route, upstream keepalive 64 and the
#     X-Forwarded-* headers the router adds (the benchmark suite's configuration);
#   - runs `wrk -t min(C,2) -c C -d SECONDS --latency` on /api/x against bench-http, the router
#     and nginx at C = 1, 16, 64 (targets interleaved per count) and prints req/s, p50 and p99
#     and the router/nginx ratio.
# Everything shares this machine's CPUs with wrk: compare runs on the same machine only.
#
#   bash scripts/bench-router-local.sh [-d SECONDS] [-c "1 16 64"] [--router PATH] [--keep]
#     -d: wrk duration per run (default 3); -c: connection counts; --router: a prebuilt router
#     binary instead of compiling the worktree's source; --keep: leave the processes running
#     (printed ports) until Enter is pressed, e.g. to attach `strace -c -f -p PID`.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=3
counts="1 16 64"
router_bin=""
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    -d) seconds="$2"; shift 2 ;;
    -c) counts="$2"; shift 2 ;;
    --router) router_bin="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: $0 [-d SECONDS] [-c COUNTS] [--router PATH] [--keep]" >&2; exit 2 ;;
  esac
done

die() { echo "bench-router-local: $*" >&2; exit 1; }

ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})"
  local policy=/usr/sbin/policy-rc.d made=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 0755 "$policy"; made=1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$made" -eq 0 ] || rm -f "$policy"
}
command -v wrk >/dev/null && command -v nginx >/dev/null && command -v cc >/dev/null \
  || ensure_packages wrk nginx-light gcc libc6-dev
command -v python3 >/dev/null || die "python3 is needed for the control client"

tmp=$(mktemp -d /tmp/bench-router-local.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

cc -static -O2 -pthread -o "$tmp/bench-http" Benchmarks/backend/bench-http.c
if [ -z "$router_bin" ]; then
  cc -static -Os -s -std=gnu11 -Wall -O2 -pthread -I Sources/HelperSupport \
    -o "$tmp/wbuild-router" Sources/Router/wbuild-router.c
  router_bin="$tmp/wbuild-router"
fi

backend=$(free_port); router=$(free_port); control=$(free_port); nginx_port=$(free_port)
"$tmp/bench-http" "$backend" & pids+=($!)
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$secret" >"$tmp/secret"
"$router_bin" --bind 127.0.0.1 --listen "$router" --control "$control" --secret-file "$tmp/secret" \
  2>"$tmp/router.log" & pids+=($!)
router_pid=$!

python3 - "$control" "$secret" "$backend" <<'EOF'
import socket, sys, time
port, secret, backend = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for _ in range(100):
    try:
        s = socket.create_connection(("127.0.0.1", port)); break
    except OSError:
        time.sleep(0.05)
else:
    sys.exit("router control port never opened")
f = s.makefile("rw")
for line in [f"AUTH {secret}", "BEGIN ab", "ROUTE api prefix - 0 /api", "COMMIT",
             f"SET api {backend} http ready 0=127.0.0.1"]:
    f.write(line + "\n"); f.flush()
    reply = f.readline().strip()
    if not reply.startswith("OK"):
        sys.exit(f"control: {line.split()[0]} -> {reply}")
EOF

mkdir -p "$tmp/nginx/temp"
cat >"$tmp/nginx/nginx.conf" <<EOF
worker_processes $(nproc);
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $tmp/nginx/temp/body;
  proxy_temp_path $tmp/nginx/temp/proxy;
  fastcgi_temp_path $tmp/nginx/temp/fastcgi;
  uwsgi_temp_path $tmp/nginx/temp/uwsgi;
  scgi_temp_path $tmp/nginx/temp/scgi;
  keepalive_requests 1000000;
  upstream api { server 127.0.0.1:$backend; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:$nginx_port;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    proxy_set_header X-Forwarded-Host \$host;
    location = /api { proxy_pass http://api; }
    location /api/ { proxy_pass http://api; }
  }
}
EOF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" -g "daemon off;" & pids+=($!)

wait_200() {
  for _ in $(seq 100); do
    python3 - "$1" <<'EOF' && return 0
import socket, sys
try:
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
    s.sendall(b"GET /api/x HTTP/1.1\r\nHost: b\r\nConnection: close\r\n\r\n")
    sys.exit(0 if s.recv(64).startswith(b"HTTP/1.1 200") else 1)
except OSError:
    sys.exit(1)
EOF
    sleep 0.05
  done
  die "port $1 never answered 200 (router log: $(cat "$tmp/router.log"))"
}
wait_200 "$backend"; wait_200 "$router"; wait_200 "$nginx_port"

if [ "$keep" -eq 1 ]; then
  echo "backend :$backend  router :$router (pid $router_pid)  nginx :$nginx_port  — Enter to stop"
  read -r _
  exit 0
fi

# wrk's --latency output -> "req/s p50 p99" (latencies in ms).
run_wrk() {
  local port=$1 c=$2 threads=$(( $2 < 2 ? $2 : 2 ))
  wrk -t"$threads" -c"$c" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/x" | python3 -c '
import re, sys
text = sys.stdin.read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)", v)
    if m is None: return float("nan")
    n, unit = float(m.group(1)), m.group(2)
    return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def pct(p):
    m = re.search(p + r"%\s+(\S+)", text)
    return ms(m.group(1)) if m else float("nan")
p50, p99 = pct("50"), pct("99")
errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", text)
print("%.0f %.3f %.3f %s" % (rps, p50, p99, "errors" if errors else "-"))'
}

wrk -t1 -c4 -d1s "http://127.0.0.1:$router/api/x" >/dev/null
wrk -t1 -c4 -d1s "http://127.0.0.1:$nginx_port/api/x" >/dev/null
printf '%-4s %-8s %10s %9s %9s %s\n' C target req/s p50_ms p99_ms errors
for c in $counts; do
  declare -A rps=()
  for target in backend router nginx; do
    case $target in backend) port=$backend ;; router) port=$router ;; nginx) port=$nginx_port ;; esac
    read -r r p50 p99 err < <(run_wrk "$port" "$c")
    rps[$target]=$r
    printf '%-4s %-8s %10s %9s %9s %s\n' "$c" "$target" "$r" "$p50" "$p99" "$err"
  done
  python3 -c "print('%-4s router/nginx %.2fx' % ('$c', ${rps[router]} / ${rps[nginx]}))"
done
