#!/usr/bin/env bash
# A real one-node Kubernetes 1.20.2 for tests, built from Debian's `kubernetes` source package and
# run inside a network namespace of its own (see docs/ARCHITECTURE.md, "The test Kubernetes cluster").
#
#   k8s-test-cluster.sh build              build/unpack every binary into the machine cache (once; ~9 min cold)
#   k8s-test-cluster.sh start [NAME]       start cluster NAME (default: wbk) and wait until its node is Ready
#   k8s-test-cluster.sh stop [NAME]        stop it and remove everything it made
#   k8s-test-cluster.sh status [NAME]      what runs
#   k8s-test-cluster.sh env [NAME]         KUBECONFIG=… DOCKER_HOST=… (eval-able)
#   k8s-test-cluster.sh kubeconfig [NAME]  the kubeconfig's path (works from the root namespace)
#
# Root only. Never touches the machine's default engine, docker0, the host's iptables or sysctls:
# everything runs in /run/netns/NAME, reached from the root namespace over one veth pair with a /30.
set -euo pipefail

VERSION=1.20.2
CACHE=${WBUILD_K8S_CACHE:-/var/cache/wbuild-k8s}/$VERSION
BIN=$CACHE/bin
STATE_BASE=${WBUILD_K8S_STATE:-/run/wbuild-k8s}

log() { printf '[k8s] %s\n' "$*" >&2; }
die() { printf '[k8s] error: %s\n' "$*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, dockerd, kubelet)"

# --- build -----------------------------------------------------------------

# The kubelet source changes a shared machine needs (docs/ARCHITECTURE.md). Each is a perl
# substitution that must change its file; the stamp carries this text's hash, so changing a
# patch rebuilds.
read -r -d '' KUBELET_PATCHES <<'PATCHES' || true
# 1. The docker daemon kubelet manages (oom_score_adj, runtime cgroup) is the private dockerd, by
#    its pid file (WBUILD_DOCKER_PIDFILE, see wbuild_pidfile.go) and never found by its name: the
#    stock fallback `pidof dockerd` would find the machine's default engine.
pkg/kubelet/cm/container_manager_linux.go	s|\(dockerProcessName, dockerPidFile\)|(dockerProcessName, wbuildDockerPidFile)|g; s|\{\{dockerProcessName, dockerPidFile\}\}|{{dockerProcessName, wbuildDockerPidFile}}|g
pkg/kubelet/cm/container_manager_linux.go	s|(dockerProcessName\s+=\s*)"dockerd"|${1}"wbuild-not-by-name"|
# 2. Kernel tunables (vm.overcommit_memory, kernel.panic, kernel.panic_on_oops) only warn.
pkg/kubelet/cm/container_manager_linux.go	s|b := KernelTunableModify|b := KernelTunableWarn|
# 3. Sandboxes and Guaranteed pods get oom_score_adj 0 (no CAP_SYS_RESOURCE here: runc fails).
pkg/kubelet/dockershim/docker_sandbox.go	s|(defaultSandboxOOMAdj\s+int\s*=\s*)-998|${1}0|
pkg/kubelet/qos/policy.go	s|(guaranteedOOMScoreAdj\s+int\s*=\s*)-997|${1}0|
PATCHES
PATCH_HASH=$(printf '%s' "$KUBELET_PATCHES" | sha256sum | cut -c1-16)
STAMP_TEXT="kubernetes $VERSION patches $PATCH_HASH"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl etcd etcdctl pause socat)

built() {
  [ "$(cat "$BIN/.stamp" 2>/dev/null)" = "$STAMP_TEXT" ] || return 1
  local b; for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
}

# apt with a list of its own (deb and deb-src of the machine's mirror): nothing in /etc/apt changes.
private_apt() {
  local dir=$CACHE/apt
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  if [ ! -f "$dir/sources.list" ]; then
    local mirror
    mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
    mirror=${mirror:-http://deb.debian.org/debian}
    printf 'deb %s bookworm main\ndeb-src %s bookworm main\ndeb %s bookworm-updates main\ndeb-src %s bookworm-updates main\n' \
      "$mirror" "$mirror" "$mirror" "$mirror" >"$dir/sources.list"
  fi
  apt-get -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
    -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" -o APT::Sandbox::User=root "$@"
}

cmd_build() {
  if built; then log "cached: $BIN ($STAMP_TEXT)"; return 0; fi
  local t0=$SECONDS
  mkdir -p "$BIN" "$CACHE/dl"
  command -v gcc >/dev/null || die "gcc is missing (scripts/setup.sh installs it)"
  if [ ! -f "$CACHE/apt/.updated" ]; then
    log "apt update (private lists in $CACHE/apt)"
    private_apt update >/dev/null
    touch "$CACHE/apt/.updated"
  fi
  # Binary packages, unpacked (never installed): Go 1.19, etcd, kubectl 1.20, socat (port-forward).
  local pkgs=(golang-1.19-go golang-1.19-src etcd-server etcd-client kubernetes-client socat libwrap0)
  local p
  for p in "${pkgs[@]}"; do
    ls "$CACHE/dl/${p}_"*.deb >/dev/null 2>&1 || (cd "$CACHE/dl" && private_apt download "$p" >/dev/null)
  done
  if [ ! -x "$CACHE/root/usr/lib/go-1.19/bin/go" ] || [ ! -x "$CACHE/root/usr/bin/etcd" ] || ! ls "$CACHE/root/"{,usr/}lib/x86_64-linux-gnu/libwrap.so.0 >/dev/null 2>&1; then
    rm -rf "$CACHE/root"; mkdir -p "$CACHE/root"
    for p in "$CACHE/dl/"*.deb; do dpkg -x "$p" "$CACHE/root"; done
  fi
  # The source package, unpacked with Debian's patches.
  local src=$CACHE/src/kubernetes
  if [ ! -f "$src/.unpacked" ]; then
    log "downloading the kubernetes source package"
    rm -rf "$CACHE/src"; mkdir -p "$CACHE/src"
    (cd "$CACHE/src" && private_apt source --download-only kubernetes >/dev/null)
    local dsc; dsc=$(ls "$CACHE/src/"kubernetes_*.dsc | head -n 1)
    (cd "$CACHE/src" && dpkg-source --no-check -x "$dsc" kubernetes >/dev/null)
    touch "$src/.unpacked"
  fi
  # The kubelet's changes, applied to a pristine copy of each file every build.
  local line file expr
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    file=${line%%$'\t'*}; expr=${line#*$'\t'}
    [ -f "$src/$file.orig-wbuild" ] || cp "$src/$file" "$src/$file.orig-wbuild"
  done <<<"$KUBELET_PATCHES"
  for file in $(printf '%s\n' "$KUBELET_PATCHES" | grep -v '^#' | cut -f1 | sort -u); do
    cp "$src/$file.orig-wbuild" "$src/$file"
  done
  while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    file=${line%%$'\t'*}; expr=${line#*$'\t'}
    local before; before=$(sha256sum <"$src/$file")
    perl -0pi -e "$expr" "$src/$file"
    [ "$before" != "$(sha256sum <"$src/$file")" ] || die "kubelet patch did not apply: $file: $expr"
  done <<<"$KUBELET_PATCHES"
  if ! grep -q wbuildDockerPidFile "$src/pkg/kubelet/cm/wbuild_pidfile.go" 2>/dev/null; then
    cat >"$src/pkg/kubelet/cm/wbuild_pidfile.go" <<'GO'
// +build linux

package cm

import "os"

// wbuildDockerPidFile is the pid file of the docker daemon this kubelet manages: the private
// dockerd of wbuild's test cluster (WBUILD_DOCKER_PIDFILE), never the machine's default engine.
var wbuildDockerPidFile = func() string {
	if p := os.Getenv("WBUILD_DOCKER_PIDFILE"); p != "" {
		return p
	}
	return "/nonexistent/wbuild-no-docker.pid"
}()
GO
  fi

  # Go in GOPATH mode, the tree linked where hack/lib/init.sh expects it.
  export GOROOT=$CACHE/root/usr/lib/go-1.19 GOPATH=$CACHE/gopath GOCACHE=$CACHE/gocache
  export GO111MODULE=off CGO_ENABLED=0 GOFLAGS= PATH=$GOROOT/bin:$PATH
  mkdir -p "$GOPATH/src/k8s.io" "$GOCACHE"
  ln -sfn "$src" "$GOPATH/src/k8s.io/kubernetes"
  cd "$GOPATH/src/k8s.io/kubernetes"
  local openapi=pkg/generated/openapi/zz_generated.openapi.go
  if [ ! -s "$openapi" ]; then
    log "generating $openapi (missing from the tarball)"
    nice -n 10 go build -o "$CACHE/openapi-gen" ./vendor/k8s.io/kube-openapi/cmd/openapi-gen
    local dirs
    # vendor/k8s.io/{api,apimachinery,…} are links to staging/src/k8s.io/…: GOPATH names them by vendor/.
    dirs=$(grep -rl --include='*.go' -e '^// *+k8s:openapi-gen=' ./pkg ./cmd ./staging/src ./vendor 2>/dev/null \
      | grep -v '_test.go$' | xargs -n1 dirname | sort -u \
      | sed -e 's|^\./staging/src/|k8s.io/kubernetes/vendor/|' -e 's|^\./|k8s.io/kubernetes/|' | sort -u | paste -sd, -)
    nice -n 10 "$CACHE/openapi-gen" --logtostderr -v 1 -i "$dirs" -p k8s.io/kubernetes/pkg/generated/openapi \
      -O zz_generated.openapi -h hack/boilerplate/boilerplate.generatego.txt -r "$CACHE/openapi-violations.txt" \
      >"$CACHE/openapi-gen.log" 2>&1 || { tail -20 "$CACHE/openapi-gen.log" >&2; die "openapi-gen failed"; }
    [ -s "$openapi" ] || die "openapi-gen wrote no $openapi"
  fi
  local v=k8s.io/kubernetes/vendor/k8s.io/component-base/version
  local ldflags="-s -w -X $v.gitVersion=v$VERSION -X $v.gitMajor=1 -X $v.gitMinor=20 -X $v.gitTreeState=clean -X $v.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  log "go build kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy (cold: ~8.5 min on 2 cores)"
  nice -n 10 go build -ldflags "$ldflags" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
  cd "$CACHE"
  install -m 0755 "$CACHE/root/usr/bin/etcd" "$BIN/etcd"
  install -m 0755 "$CACHE/root/usr/bin/etcdctl" "$BIN/etcdctl"
  install -m 0755 "$CACHE/root/usr/bin/kubectl" "$BIN/kubectl"
  # socat (kubelet's port-forward runs it by name) with its libwrap from the unpacked libwrap0.
  printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$CACHE/root/lib/x86_64-linux-gnu:$CACHE/root/usr/lib/x86_64-linux-gnu" \
    "$CACHE/root/usr/bin/socat" >"$BIN/socat"
  chmod 0755 "$BIN/socat"
  gcc -static -Os -o "$BIN/pause" "$src/build/pause/linux/pause.c"
  "$BIN/socat" -V >/dev/null 2>&1 || die "the unpacked socat does not run (a library missing?): install Debian's socat"
  printf '%s' "$STAMP_TEXT" >"$BIN/.stamp"
  log "built into $BIN in $((SECONDS - t0)) s"
}

case "${1:-}" in
  build) cmd_build ;;
  *) die "usage: $0 build|start|stop|status|env|kubeconfig [NAME]" ;;
esac
