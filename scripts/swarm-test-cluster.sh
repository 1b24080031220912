#!/bin/sh
# A three-node Docker Swarm on this machine, for tests and trying `wbuild deploy --target swarm`:
#
#   scripts/swarm-test-cluster.sh start  [NAME]   start it (idempotent: a running cluster is kept)
#   scripts/swarm-test-cluster.sh stop   [NAME]   stop it and remove everything it made
#   scripts/swarm-test-cluster.sh status [NAME]   exit 0 when it runs (and print its nodes), 1 when not
#   scripts/swarm-test-cluster.sh env    [NAME]   print `export KEY='value'` lines: DOCKER_HOST of the manager,
#                                                 WBUILD_SWARM_REGISTRY, WBUILD_SWARM_NODES, WBUILD_SWARM_DIR
#   scripts/swarm-test-cluster.sh exec NODE CMD…  run CMD in NODE's network namespace (hub, n1, n2, n3)
#   scripts/swarm-test-cluster.sh load IMAGE…     copy images from the machine's default engine to every node
#   scripts/swarm-test-cluster.sh kill NODE       SIGKILL NODE's dockerd and containerd (a crashed engine)
#   scripts/swarm-test-cluster.sh revive NODE     start a killed NODE's dockerd again
#
# NAME (default `default`, or $WBUILD_SWARM_NAME for exec/load/kill/revive) keeps clusters apart.
#
# Layout: a "hub" network namespace holds a bridge (10.251.X.1/24, X from NAME) and the registry
# (Debian's docker-registry at 10.251.X.1:5000, storage in a temp dir); nodes n1..n3 are network
# namespaces joined to the hub by veth pairs (10.251.X.11-13), each with its own dockerd (own data
# root, exec root, pid file, socket, --bip, address pool, empty --config-file, cgroup parent,
# --insecure-registry for the hub's registry, no default route). n1 is the
# swarm's manager, n2 and n3 workers; each node carries the label dev.wbuild.node=nK.
# Everything lives under /tmp/wbuild-swarm-NAME. The machine's default engine, its docker0 and its
# iptables are never touched: dockerds run with --iptables=false, and nothing is added to the root
# namespace but processes.
#
# The managers' socket is a unix socket: it works from the root namespace. Node and registry
# addresses (published ports) answer only inside the namespaces: use `exec NODE …` to reach them.
set -eu

usage() {
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

command=${1:-}
[ -n "$command" ] || usage
shift

case "$command" in
    start|stop|status|env) NAME=${1:-${WBUILD_SWARM_NAME:-default}} ;;
    exec|load|kill|revive) NAME=${WBUILD_SWARM_NAME:-default} ;;
    *) usage ;;
esac
case "$NAME" in
    *[!a-z0-9]*|'') echo "swarm-test-cluster: NAME takes lowercase letters and digits, got '$NAME'" >&2; exit 2 ;;
esac
[ ${#NAME} -le 8 ] || { echo "swarm-test-cluster: NAME is at most 8 characters (socket paths stay short)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "swarm-test-cluster: needs root (network namespaces, dockerd)" >&2; exit 1; }

DIR=/tmp/wbuild-swarm-$NAME
PREFIX=wbs-$NAME
NODES="n1 n2 n3"
# Third octet of the hub's subnet: 0 for `default`, else from NAME (1..200).
if [ "$NAME" = default ]; then OCTET=0; else OCTET=$(( $(printf '%s' "$NAME" | cksum | cut -d' ' -f1) % 200 + 1 )); fi
HUB_IP=10.251.$OCTET.1
REGISTRY=$HUB_IP:5000
DOCKER=/usr/bin/docker
# DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 makes a node never pull a task's image, not even from the
# hub's registry: images built on n1 would run on n1 only. Without it a node pulls, and a name
# of an unreachable public registry fails at once (the nodes have no default route: no timeout)
# and the node runs its local copy. WBUILD_SWARM_OFFLINE_IMAGES=1 sets it anyway.
if [ "${WBUILD_SWARM_OFFLINE_IMAGES:-0}" = 1 ]; then OFFLINE=DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1; else OFFLINE=WBUILD_SWARM=1; fi

ns() { echo "$PREFIX-$1"; }
node_ip() { echo "10.251.$OCTET.1${1#n}"; }
socket() { echo "$DIR/$1/docker.sock"; }
in_ns() { ns_name=$1; shift; nsenter --net="/run/netns/$ns_name" "$@"; }
docker_on() { node=$1; shift; DOCKER_HOST="unix://$(socket "$node")" "$DOCKER" "$@"; }
log() { echo "swarm-test-cluster[$NAME]: $*" >&2; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
pid_of() { [ -f "$1" ] && cat "$1" 2>/dev/null || true; }

# Sends $2 (a signal) to the pid in file $1 and waits up to $3 seconds for it to go, then SIGKILLs it.
stop_pid_file() {
    pid=$(pid_of "$1")
    if alive "$pid"; then
        kill "-$2" "$pid" 2>/dev/null || true
        waited=0
        while alive "$pid" && [ "$waited" -lt "$(( $3 * 10 ))" ]; do sleep 0.1; waited=$((waited + 1)); done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
        while alive "$pid"; do sleep 0.1; done
    fi
    rm -f "$1"
}

start_dockerd() {
    node=$1
    mkdir -p "$DIR/$node/data" "$DIR/$node/exec"
    [ -f "$DIR/$node/daemon.json" ] || echo '{}' > "$DIR/$node/daemon.json"
    rm -f "$DIR/$node/dockerd.pid"
    # setsid: the engine outlives this script and its caller's process group.
    # A simple command, not a function, in the background: no subshell keeps this script's stdout.
    nsenter --net="/run/netns/$(ns "$node")" env $OFFLINE setsid /usr/sbin/dockerd \
        --config-file "$DIR/$node/daemon.json" \
        --data-root "$DIR/$node/data" --exec-root "$DIR/$node/exec" --pidfile "$DIR/$node/dockerd.pid" \
        -H "unix://$(socket "$node")" --bip 10.252.${node#n}.1/24 \
        --default-address-pool base=10.253.0.0/16,size=24 \
        --iptables=false --ip-masq=false --cgroup-parent "$(ns "$node")" \
        --insecure-registry "$REGISTRY" \
        </dev/null >>"$DIR/$node/dockerd.log" 2>&1 &
}

wait_dockerd() {
    node=$1
    waited=0
    until docker_on "$node" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
        waited=$((waited + 1))
        if [ "$waited" -gt 600 ]; then
            log "the dockerd of $node did not answer at $(socket "$node") within 60 s:"
            grep -v module=grpc "$DIR/$node/dockerd.log" | tail -15 >&2
            return 1
        fi
        sleep 0.1
    done
}

# The containerd a dockerd started: SIGKILLed with it (as a crash), else waited for.
stop_containerd() {
    file="$DIR/$1/exec/containerd/containerd.pid"
    stop_pid_file "$file" "$2" 30
}

running() {
    [ -d "$DIR" ] || return 1
    for node in $NODES; do
        alive "$(pid_of "$DIR/$node/dockerd.pid")" || return 1
    done
    alive "$(pid_of "$DIR/registry.pid")" || return 1
    [ "$(docker_on n1 info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null)" = "active true" ]
}

print_env() {
    nodes=""
    for node in $NODES; do nodes="$nodes $node=$(node_ip "$node")"; done
    echo "export DOCKER_HOST='unix://$(socket n1)'"
    echo "export WBUILD_SWARM_REGISTRY='$REGISTRY'"
    echo "export WBUILD_SWARM_NODES='${nodes# }'"
    echo "export WBUILD_SWARM_DIR='$DIR'"
    echo "export WBUILD_SWARM_NAME='$NAME'"
}

start() {
    if running; then
        log "already running"
        return 0
    fi
    [ -d "$DIR" ] && { log "a partial cluster is left: removing it first"; stop; }
    for tool in /usr/sbin/dockerd /usr/bin/docker-registry /usr/bin/curl; do
        [ -x "$tool" ] || { log "$tool is missing (scripts/setup.sh installs it)"; exit 1; }
    done
    started=$(date +%s)
    mkdir -p "$DIR/registry/storage"
    hub=$(ns hub)
    ip netns add "$hub"
    in_ns "$hub" ip link set lo up
    in_ns "$hub" ip link add br0 type bridge
    in_ns "$hub" ip addr add "$HUB_IP/24" dev br0
    in_ns "$hub" ip link set br0 up
    for node in $NODES; do
        ip netns add "$(ns "$node")"
        in_ns "$(ns "$node")" ip link set lo up
        # Made inside the hub, the host end never appears in the root namespace.
        ip -n "$hub" link add "v-$node" type veth peer name eth0 netns "$(ns "$node")"
        ip -n "$hub" link set "v-$node" master br0 up
        in_ns "$(ns "$node")" ip addr add "$(node_ip "$node")/24" dev eth0
        in_ns "$(ns "$node")" ip link set eth0 up
    done

    cat > "$DIR/registry/config.yml" <<EOF
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $DIR/registry/storage
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
    nsenter --net="/run/netns/$hub" setsid /usr/bin/docker-registry serve "$DIR/registry/config.yml" \
        </dev/null >>"$DIR/registry/registry.log" 2>&1 &
    echo $! > "$DIR/registry.pid"

    for node in $NODES; do start_dockerd "$node"; done
    for node in $NODES; do wait_dockerd "$node"; done
    waited=0
    until in_ns "$hub" curl -sf -m 2 "http://$REGISTRY/v2/" >/dev/null; do
        waited=$((waited + 1))
        [ "$waited" -lt 100 ] || { log "the registry did not answer at $REGISTRY:"; tail -5 "$DIR/registry/registry.log" >&2; exit 1; }
        sleep 0.1
    done

    docker_on n1 swarm init --advertise-addr "$(node_ip n1)" --listen-addr "$(node_ip n1):2377" \
        --default-addr-pool 10.254.0.0/16 --default-addr-pool-mask-length 24 >/dev/null
    token=$(docker_on n1 swarm join-token -q worker)
    for node in n2 n3; do
        docker_on "$node" swarm join --token "$token" --advertise-addr "$(node_ip "$node")" \
            --listen-addr "$(node_ip "$node"):2377" "$(node_ip n1):2377" >/dev/null
    done
    for node in $NODES; do
        id=$(docker_on "$node" info --format '{{.Swarm.NodeID}}')
        docker_on n1 node update --label-add "dev.wbuild.node=$node" "$id" >/dev/null
    done
    waited=0
    until [ "$(docker_on n1 node ls --format '{{.Status}}' | grep -c '^Ready$')" = 3 ]; do
        waited=$((waited + 1))
        [ "$waited" -lt 300 ] || { log "not every node became Ready:"; docker_on n1 node ls >&2; exit 1; }
        sleep 0.1
    done
    log "started in $(( $(date +%s) - started )) s: manager $(socket n1), registry $REGISTRY"
}

stop() {
    # All at once: each waits for its containers to stop.
    for node in $NODES; do
        pid=$(pid_of "$DIR/$node/dockerd.pid")
        alive "$pid" && kill -TERM "$pid" 2>/dev/null || true
    done
    for node in $NODES; do
        stop_pid_file "$DIR/$node/dockerd.pid" TERM 30
        stop_containerd "$node" TERM
    done
    stop_pid_file "$DIR/registry.pid" TERM 10
    # What is left: shims and anything run in the namespaces, the containers' processes in the
    # cgroup parents.
    for round in 1 2 3 4 5 6 7 8 9 10; do
        pids=""
        for name in hub $NODES; do
            [ -e "/run/netns/$(ns "$name")" ] && pids="$pids $(ip netns pids "$(ns "$name")" 2>/dev/null | tr '\n' ' ')"
        done
        for node in $NODES; do
            for procs in /sys/fs/cgroup/pids/"$(ns "$node")"/*/cgroup.procs /sys/fs/cgroup/pids/"$(ns "$node")"/cgroup.procs; do
                [ -f "$procs" ] && pids="$pids $(tr '\n' ' ' < "$procs")"
            done
        done
        pids=$(echo $pids)
        [ -n "$pids" ] || break
        # shellcheck disable=SC2086
        kill -KILL $pids 2>/dev/null || true
        sleep 0.2
    done
    if [ -d "$DIR" ]; then
        awk -v dir="$DIR/" 'index($5, dir) == 1 { print length($5), $5 }' /proc/self/mountinfo | sort -rn | cut -d' ' -f2- |
            while read -r point; do umount -l "$point" 2>/dev/null || true; done
    fi
    for node in $NODES; do
        for parent in /sys/fs/cgroup/*/"$(ns "$node")"; do
            [ -d "$parent" ] || continue
            find "$parent" -depth -type d -exec rmdir {} \; 2>/dev/null || true
        done
    done
    for name in $NODES hub; do
        [ -e "/run/netns/$(ns "$name")" ] && ip netns delete "$(ns "$name")"
    done
    rm -rf "$DIR"
}

node_arg() {
    case "${1:-}" in
        hub|n1|n2|n3) ;;
        *) echo "swarm-test-cluster: NODE is hub, n1, n2 or n3, got '${1:-}'" >&2; exit 2 ;;
    esac
}

case "$command" in
    start) start; print_env ;;
    stop) stop ;;
    status)
        if running; then
            docker_on n1 node ls --format '{{.Hostname}} {{.Status}} {{.ManagerStatus}} {{.ID}}'
            print_env
        else
            echo "not running" >&2
            exit 1
        fi
        ;;
    env) print_env ;;
    exec)
        node_arg "${1:-}"
        node=$1; shift
        [ $# -gt 0 ] || usage
        exec nsenter --net="/run/netns/$(ns "$node")" "$@"
        ;;
    load)
        [ $# -gt 0 ] || usage
        for node in $NODES; do
            env -u DOCKER_HOST "$DOCKER" save "$@" | docker_on "$node" load -q >/dev/null
        done
        ;;
    kill)
        node_arg "${1:-}"
        [ "$1" != hub ] || usage
        stop_pid_file "$DIR/$1/dockerd.pid" KILL 5
        stop_containerd "$1" KILL
        ;;
    revive)
        node_arg "${1:-}"
        [ "$1" != hub ] || usage
        alive "$(pid_of "$DIR/$1/dockerd.pid")" || { start_dockerd "$1"; wait_dockerd "$1"; }
        ;;
esac
