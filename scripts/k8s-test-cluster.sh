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
# 4. Not the kubelet: the version every binary and the apiserver's /version report is 1.20.2, not
#    the tarball's "v0.0.0-master": component-base's and client-go's copies (the aggregator serves
#    /version from the latter; the -X link flags did not reach it). Helm and API choices read it.
staging/src/k8s.io/component-base/version/base.go	s|gitMajor string |gitMajor string = "1" |; s|gitMinor string |gitMinor string = "20" |; s|gitVersion   = "v0.0.0-master\+[0-9a-f]*"|gitVersion   = "v1.20.2"|; s|gitTreeState = ""|gitTreeState = "clean"|
staging/src/k8s.io/client-go/pkg/version/base.go	s|gitMajor string = ""|gitMajor string = "1"|; s|gitMinor string = ""|gitMinor string = "20"|; s|gitVersion   string = "v0.0.0-master\+[0-9a-f]*"|gitVersion   string = "v1.20.2"|; s|gitTreeState string = ""|gitTreeState string = "clean"|
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

# --- a cluster ---------------------------------------------------------------
# Everything of cluster NAME: $DIR holds data, logs, pid files, sockets, certificates and kubeconfigs.
setup_names() {
  NAME=${1:-wbk}
  [[ "$NAME" =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "cluster name must be 1-10 of [a-z0-9], starting with a letter: $NAME"
  DIR=$STATE_BASE/$NAME
  NETNS=wbk8s-$NAME
  NSPATH=/run/netns/$NETNS
  VETH_HOST=k8s-$NAME-h VETH_NS=k8s-$NAME-n
  # A /30 between the root namespace and the cluster's, 10.252.N.0/30 with N from the name.
  local n; n=$(( $(printf '%s' "$NAME" | cksum | cut -d' ' -f1) % 64 * 4 ))
  HOST_IP=10.252.$n.1 NS_IP=10.252.$n.2 NET=10.252.$n.0/30
  CGROUP=wbk8s-$NAME
  SOCK=$DIR/docker.sock
  DOCKER_HOST_NS=unix://$SOCK
  KUBECONFIG_ROOT=$DIR/kubeconfig
  KUBECONFIG_IN=$DIR/kubeconfig-in-namespace
  CONTEXT=${WBUILD_K8S_CONTEXT:-wbuild-test}
  COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)
}
in_ns() { nsenter --net="$NSPATH" "$@"; }
alive() { local p; p=$(cat "$1" 2>/dev/null) && [ -n "$p" ] && kill -0 "$p" 2>/dev/null && ! grep -q '^State:.Z' "/proc/$p/status" 2>/dev/null; }
# Starts a component in the namespace, in the background, its pid in $DIR/NAME.pid.
launch() {
  local name=$1; shift
  setsid nsenter --net="$NSPATH" "$@" >>"$DIR/log/$name.log" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}
wait_for() { # seconds, description, command…
  local limit=$1 what=$2; shift 2
  local until=$((SECONDS + limit))
  while ! "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { log "$what did not come up within $limit s"; return 1; }
    sleep 0.3
  done
}
kc() { in_ns "$BIN/kubectl" --kubeconfig "$KUBECONFIG_IN" "$@"; }

write_kubeconfig() { # file server
  cat >"$1" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: $CONTEXT
  cluster:
    server: $2
    certificate-authority: $DIR/pki/ca.crt
users:
- name: $CONTEXT-admin
  user:
    token: $(cat "$DIR/pki/admin.token")
contexts:
- name: $CONTEXT
  context: {cluster: $CONTEXT, user: $CONTEXT-admin}
current-context: $CONTEXT
YAML
  chmod 0600 "$1"
}

make_pki() {
  local pki=$DIR/pki
  mkdir -p "$pki"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=wbuild-test-ca" \
    -keyout "$pki/ca.key" -out "$pki/ca.crt" >/dev/null 2>&1
  cat >"$pki/server.ext" <<EXT
subjectAltName=IP:127.0.0.1,IP:$NS_IP,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
EXT
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout "$pki/server.key" -out "$pki/server.csr" >/dev/null 2>&1
  openssl x509 -req -in "$pki/server.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
    -extfile "$pki/server.ext" -out "$pki/server.crt" >/dev/null 2>&1
  openssl genrsa -out "$pki/sa.key" 2048 >/dev/null 2>&1
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" >/dev/null 2>&1
  openssl rand -hex 24 >"$pki/admin.token"
  printf '%s,admin,admin,system:masters\n' "$(cat "$pki/admin.token")" >"$pki/tokens.csv"
  chmod 0600 "$pki"/*.key "$pki/tokens.csv" "$pki/admin.token"
}

cmd_start() {
  setup_names "$@"
  built || die "binaries missing: run '$0 build' first (about 8 minutes the first time)"
  if [ -e "$NSPATH" ]; then
    if alive "$DIR/kube-apiserver.pid"; then log "cluster $NAME already runs"; cmd_env_print; return 0; fi
    die "namespace $NETNS exists but the cluster is not running: run '$0 stop $NAME' first"
  fi
  ip route | grep -q "^10\.252\.[0-9]*\.0/30 .*" && ip route | grep -q "^$NET " && die "$NET is in use (another cluster's name hashes to it?)"
  local t0=$SECONDS
  mkdir -p "$DIR/log" "$DIR/docker" "$DIR/docker-exec" "$DIR/kubelet" "$DIR/etcd"
  printf '{}\n' >"$DIR/daemon.json"
  # The namespace, and its link to the root namespace (the root side only gets an address: no
  # host iptables rule, no sysctl, no bridge).
  ip netns add "$NETNS"
  in_ns ip link set lo up
  ip link add "$VETH_HOST" type veth peer name "$VETH_NS"
  ip link set "$VETH_NS" netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$VETH_HOST"
  ip link set "$VETH_HOST" up
  in_ns ip addr add "$NS_IP/30" dev "$VETH_NS"
  in_ns ip link set "$VETH_NS" up
  in_ns ip route add default via "$HOST_IP"
  # A cgroup tree of the cluster's own in every hierarchy: kubelet's --cgroup-root, dockerd's parent.
  local c
  for c in /sys/fs/cgroup/*/; do
    [ -d "$c" ] || continue
    mkdir -p "$c$CGROUP"
    if [ -f "${c}cpuset.cpus" ]; then cat "${c}cpuset.cpus" >"$c$CGROUP/cpuset.cpus"; cat "${c}cpuset.mems" >"$c$CGROUP/cpuset.mems"; fi
  done
  make_pki
  write_kubeconfig "$KUBECONFIG_IN" "https://127.0.0.1:6443"
  write_kubeconfig "$KUBECONFIG_ROOT" "https://$NS_IP:6443"

  log "starting the private dockerd ($DOCKER_HOST_NS)"
  launch dockerd dockerd --config-file "$DIR/daemon.json" --data-root "$DIR/docker" --exec-root "$DIR/docker-exec" \
    --pidfile "$DIR/dockerd.real.pid" -H "$DOCKER_HOST_NS" --bip 10.199.0.1/24 \
    --default-address-pool base=10.200.0.0/16,size=24 --cgroup-parent "/$CGROUP"
  log "starting etcd"
  launch etcd "$BIN/etcd" --name default --data-dir "$DIR/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster default=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
  wait_for 30 etcd in_ns curl -sf http://127.0.0.1:2379/health || { tail -5 "$DIR/log/etcd.log" >&2; die "etcd failed"; }
  log "starting kube-apiserver"
  local pki=$DIR/pki
  launch kube-apiserver "$BIN/kube-apiserver" --etcd-servers http://127.0.0.1:2379 \
    --bind-address 0.0.0.0 --secure-port 6443 --insecure-port 0 --advertise-address "$NS_IP" \
    --tls-cert-file "$pki/server.crt" --tls-private-key-file "$pki/server.key" --client-ca-file "$pki/ca.crt" \
    --token-auth-file "$pki/tokens.csv" --authorization-mode AlwaysAllow \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range 10.96.0.0/24 --allow-privileged=true --cert-dir "$DIR/apiserver-certs" \
    --kubelet-preferred-address-types InternalIP --profiling=false
  wait_for 30 docker env DOCKER_HOST="$DOCKER_HOST_NS" docker version || { tail -5 "$DIR/log/dockerd.log" >&2; die "the private dockerd failed"; }
  # The pause image (the sandbox of every pod) and the busybox the tests use, into the private engine.
  local ctx; ctx=$(mktemp -d)
  cp "$BIN/pause" "$ctx/pause"
  tar -C "$ctx" -c pause | DOCKER_HOST=$DOCKER_HOST_NS docker import --change 'ENTRYPOINT ["/pause"]' - k8s.gcr.io/pause:3.2 >/dev/null
  rm -rf "$ctx"
  if docker image inspect wbuild-samples/busybox:1 >/dev/null 2>&1; then
    docker save wbuild-samples/busybox:1 | DOCKER_HOST=$DOCKER_HOST_NS docker load -q >/dev/null
  else
    log "note: wbuild-samples/busybox:1 is not in the default engine (scripts/setup.sh builds it): not loaded"
  fi
  wait_for 60 kube-apiserver kc get --raw /readyz || { tail -5 "$DIR/log/kube-apiserver.log" >&2; die "kube-apiserver failed"; }
  log "starting kube-controller-manager, kube-scheduler, kubelet, kube-proxy"
  launch kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig "$KUBECONFIG_IN" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" --leader-elect=false \
    --port 0 --bind-address 127.0.0.1 --cert-dir "$DIR/kcm-certs" --use-service-account-credentials=false
  launch kube-scheduler "$BIN/kube-scheduler" --kubeconfig "$KUBECONFIG_IN" --leader-elect=false \
    --port 0 --bind-address 127.0.0.1
  # kubelet 1.20 has three fixed paths no flag moves: /var/lib/kubelet/device-plugins (its
  # device-plugin socket), /var/log/pods and /var/log/containers (pod logs). Note which of them
  # this script made, so the last cluster's stop removes them again.
  local shared
  for shared in /var/lib/kubelet /var/log/pods /var/log/containers; do
    [ -e "$shared" ] || touch "$STATE_BASE/.made$(printf '%s' "$shared" | tr / _)"
  done
  # kubelet: dockershim on the private dockerd; every other path it would share with the machine moved into $DIR.
  WBUILD_DOCKER_PIDFILE=$DIR/dockerd.real.pid PATH=$BIN:$PATH \
  launch kubelet "$BIN/kubelet" --kubeconfig "$KUBECONFIG_IN" --hostname-override "$NAME" --node-ip "$NS_IP" \
    --container-runtime docker --docker-endpoint "$DOCKER_HOST_NS" \
    --container-runtime-endpoint "unix://$DIR/dockershim.sock" --image-service-endpoint "unix://$DIR/dockershim.sock" \
    --experimental-dockershim-root-directory "$DIR/dockershim" \
    --root-dir "$DIR/kubelet" --cert-dir "$DIR/kubelet/pki" --volume-plugin-dir "$DIR/kubelet/volume-plugins" \
    --cgroup-driver cgroupfs --cgroup-root "/$CGROUP" --fail-swap-on=false --oom-score-adj 0 \
    --pod-infra-container-image k8s.gcr.io/pause:3.2 --image-gc-high-threshold 100 --image-gc-low-threshold 99 \
    --eviction-hard 'memory.available<100Mi,nodefs.available<1%,imagefs.available<1%' \
    --serialize-image-pulls=false --healthz-bind-address 127.0.0.1 --read-only-port 0 \
    --resolv-conf /etc/resolv.conf --max-pods 50
  cat >"$DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: "$KUBECONFIG_IN"}
mode: iptables
hostnameOverride: "$NAME"
bindAddress: 0.0.0.0
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
oomScoreAdj: 0
# nf_conntrack_max is machine-wide: leave every conntrack setting alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
  launch kube-proxy "$BIN/kube-proxy" --config "$DIR/kube-proxy.yaml"
  wait_for 120 "node $NAME Ready" node_ready || { tail -8 "$DIR/log/kubelet.log" >&2; die "the node did not get Ready"; }
  # Pods need the default service account, which the controller-manager creates.
  wait_for 30 "serviceaccount default" kc get serviceaccount default || true
  log "cluster $NAME: node Ready $((SECONDS - t0)) s after start"
  cmd_env_print
}
node_ready() { [ "$(kc get node "$NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; }

cmd_env_print() {
  printf 'KUBECONFIG=%s\nDOCKER_HOST=%s\n' "$KUBECONFIG_ROOT" "$DOCKER_HOST_NS"
}

stop_pid() { # pidfile [seconds]
  local f=$1 limit=${2:-20} p
  p=$(cat "$f" 2>/dev/null) || return 0
  if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p" 2>/dev/null || true
    local until=$((SECONDS + limit))
    while kill -0 "$p" 2>/dev/null && [ $SECONDS -lt $until ]; do sleep 0.2; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null || true
  fi
  rm -f "$f"
}
# Processes that live in the cluster's namespace or name its directory.
leftovers() {
  local ino p
  ino=$(stat -L -c %i "$NSPATH" 2>/dev/null) || ino=
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" != $$ ] || continue
    if [ -n "$ino" ] && [ "$(stat -L -c %i "/proc/$p/ns/net" 2>/dev/null)" = "$ino" ]; then echo "$p"; continue; fi
    tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -q -- "$DIR/" && echo "$p"
  done
  local f; for f in /sys/fs/cgroup/pids/$CGROUP; do [ -d "$f" ] && find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null; done
  return 0
}

cmd_stop() {
  setup_names "$@"
  [ -e "$NSPATH" ] || [ -d "$DIR" ] || [ -e "/sys/fs/cgroup/pids/$CGROUP" ] || { log "cluster $NAME is not running"; return 0; }
  log "stopping cluster $NAME"
  local c
  for c in kube-proxy kubelet kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_pid "$DIR/$c.pid"; done
  # Every pod kubelet ran has a directory named by its UID; their logs are in /var/log/pods (fixed in 1.20).
  local uids=()
  [ -d "$DIR/kubelet/pods" ] && mapfile -t uids < <(ls "$DIR/kubelet/pods" 2>/dev/null)
  # A test cluster needs no graceful container stop (busybox httpd ignores SIGTERM: dockerd would
  # wait 10 s per container): kill them, then stop dockerd (its own pid file; dockerd.pid is the
  # same process, as launched).
  if [ -S "$SOCK" ]; then
    DOCKER_HOST=$DOCKER_HOST_NS timeout 20 sh -c 'docker ps -q | xargs -r docker kill' >/dev/null 2>&1 || true
  fi
  stop_pid "$DIR/dockerd.real.pid" 60; stop_pid "$DIR/dockerd.pid" 10
  stop_pid "$DIR/docker-exec/containerd/containerd.pid" 20
  local i pids
  for i in $(seq 1 50); do
    pids=$(leftovers | sort -u)
    [ -n "$pids" ] || break
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
  # What kubelet and dockerd mounted (secrets' tmpfs, overlays, netns files), deepest first.
  local m
  for m in $(awk -v d="$DIR/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | awk '{print length, $0}' | sort -rn | cut -d' ' -f2-); do
    umount -R "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  ip link del "$VETH_HOST" 2>/dev/null || true
  [ -e "$NSPATH" ] && ip netns delete "$NETNS"
  for c in /sys/fs/cgroup/*/"$CGROUP"; do
    [ -d "$c" ] || continue
    find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  local u l
  for u in "${uids[@]}"; do
    [ -n "$u" ] || continue
    for m in /var/log/pods/*_"$u"; do [ -e "$m" ] && rm -rf "$m"; done
    for l in /var/log/containers/*.log; do
      [ -L "$l" ] && case "$(readlink "$l")" in *_"$u"/*) rm -f "$l" ;; esac
    done
  done
  rm -rf "$DIR"
  # The last cluster gone: the fixed kubelet paths this script made go too.
  if [ -z "$(ls -A "$STATE_BASE" 2>/dev/null | grep -v '^\.made')" ]; then
    [ -e "$STATE_BASE/.made_var_lib_kubelet" ] && rm -rf /var/lib/kubelet
    [ -e "$STATE_BASE/.made_var_log_pods" ] && rmdir /var/log/pods 2>/dev/null
    [ -e "$STATE_BASE/.made_var_log_containers" ] && rmdir /var/log/containers 2>/dev/null
    rm -f "$STATE_BASE"/.made_*
    rmdir "$STATE_BASE" 2>/dev/null || true
  fi
  local left=""
  for c in /sys/fs/cgroup/*/"$CGROUP"; do [ -d "$c" ] && left+=" $c"; done
  [ -z "$left" ] || log "warning: cgroups left:$left"
  log "cluster $NAME stopped"
}

cmd_status() {
  setup_names "$@"
  [ -e "$NSPATH" ] || { echo "cluster $NAME: not running"; return 1; }
  local c st=0
  echo "cluster $NAME (namespace $NETNS, apiserver https://$NS_IP:6443 from the root namespace)"
  for c in dockerd "${COMPONENTS[@]}"; do
    local f=$DIR/$c.pid; [ "$c" = dockerd ] && f=$DIR/dockerd.real.pid
    if alive "$f"; then printf '  %-24s running (pid %s)\n' "$c" "$(cat "$f")"; else printf '  %-24s down\n' "$c"; st=1; fi
  done
  if node_ready; then echo "  node $NAME: Ready"; else echo "  node $NAME: not Ready"; st=1; fi
  return $st
}

case "${1:-}" in
  build) cmd_build ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; setup_names "$@"; [ -f "$KUBECONFIG_ROOT" ] || die "cluster $NAME is not running"; cmd_env_print ;;
  kubeconfig) shift; setup_names "$@"; [ -f "$KUBECONFIG_ROOT" ] || die "cluster $NAME is not running"; echo "$KUBECONFIG_ROOT" ;;
  *) die "usage: $0 build|start|stop|status|env|kubeconfig [NAME]" ;;
esac
