#!/usr/bin/env bash
# A real Kubernetes control plane for the sandbox, the demo and the tests: kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes, etcd, and kwok (which
# plays the kubelet for fake nodes). Everything is built from the Go module proxy; no download site
# is needed.
#
#   scripts/kube.sh install    builds the pinned versions (reused when already built) and prints the
#                              folder that holds the binaries
#   scripts/kube.sh bin-dir    prints that folder without building (it may not exist yet)
#   scripts/kube.sh up [--dir DIR] [--stages FILE] [--parent-pid PID]
#                              starts etcd, kube-apiserver (TLS, certificates made here with openssl),
#                              kube-controller-manager, kube-scheduler and kwok on free loopback
#                              ports, writes DIR/kubeconfig, prints "control plane ready: DIR/kubeconfig"
#                              and stays in the foreground. Ctrl-C, SIGTERM, or the death of
#                              --parent-pid stops exactly the processes it started. Logs: DIR/logs.
#
# Settings (environment):
#   EVOLVE_KUBE_VERSION   Kubernetes version, default v1.34.4 (try the minor of your own GKE cluster)
#   EVOLVE_ETCD_VERSION   default v3.6.16
#   EVOLVE_KWOK_VERSION   default v0.8.0
#   EVOLVE_KUBE_CACHE     where built binaries are kept, default ~/.cache/evolve/kube. It lies outside
#                         the clone on purpose: like ~/.m2, a fresh clone on the same machine reuses it.
#
# Why a wrapper module: k8s.io/kubernetes replaces its staging modules (k8s.io/api, client-go, ...)
# with ./staging paths, and a dependency's replace directives are ignored. The wrapper requires
# kubernetes and pins each of those modules to the matching v0.X.Y release instead.
set -euo pipefail

KUBE_VERSION="${EVOLVE_KUBE_VERSION:-v1.34.4}"
ETCD_VERSION="${EVOLVE_ETCD_VERSION:-v3.6.16}"
KWOK_VERSION="${EVOLVE_KWOK_VERSION:-v0.8.0}"
CACHE="${EVOLVE_KUBE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evolve/kube}"

log() { echo "kube.sh: $*" >&2; }

bin_dir() {
  echo "$CACHE/kubernetes-$KUBE_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION/bin"
}

require_go() {
  if ! command -v go >/dev/null 2>&1; then
    log "Go >= 1.26 is needed to build the Kubernetes control plane (kube-apiserver, etcd, kwok); install Go from https://go.dev/dl and run again"
    exit 1
  fi
}

# Builds main packages of a generated module into $out, each under the name given.
#   build_module DIR LDFLAGS NAME=PACKAGE...
build_module() {
  local dir="$1" ldflags="$2"
  shift 2
  local entry
  for entry in "$@"; do
    log "building ${entry#*=}"
    (cd "$dir" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w $ldflags" -o "$out/${entry%%=*}" "${entry#*=}")
  done
}

# The wrapper module for k8s.io/kubernetes: one require for kubernetes, and for every module that
# kubernetes' own go.mod replaces with a ./staging path, a require and a replace at v0.MINOR.PATCH.
kubernetes_wrapper() {
  local dir="$1" staging_version="v0.${KUBE_VERSION#v1.}"
  local gomod
  gomod="$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  if [[ -z "$gomod" || ! -f "$gomod" ]]; then
    log "the Go module proxy did not give k8s.io/kubernetes@$KUBE_VERSION"
    exit 1
  fi
  local staged
  staged="$(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) => \./staging/.*#\1#p' "$gomod" | sort -u)"
  {
    echo "module evolve.local/kubernetes"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    local m
    for m in $staged; do
      # Two staging modules are never published; nothing that we build needs them.
      case "$m" in k8s.io/sample-cli-plugin|k8s.io/sample-controller) continue ;; esac
      echo "require $m $staging_version"
      echo "replace $m => $m $staging_version"
    done
  } > "$dir/go.mod"
}

install() {
  local dir
  dir="$(bin_dir)"
  if [[ -f "$dir/.complete" ]]; then
    echo "$dir"
    return
  fi
  require_go
  local started=$SECONDS
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  out="$dir.partial"
  rm -rf "$out"
  mkdir -p "$out"
  log "building Kubernetes $KUBE_VERSION, etcd $ETCD_VERSION and kwok $KWOK_VERSION into $dir (about 10 minutes the first time on 2 cores; cached afterwards)"

  mkdir -p "$work/kubernetes"
  kubernetes_wrapper "$work/kubernetes"
  local minor="${KUBE_VERSION#v1.}"
  minor="${minor%%.*}"
  local v ldflags=""
  # Without these the API server reports an empty /version.
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $v.gitVersion=$KUBE_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor -X $v.gitTreeState=clean"
  done
  build_module "$work/kubernetes" "$ldflags" \
    kube-apiserver=k8s.io/kubernetes/cmd/kube-apiserver \
    kube-controller-manager=k8s.io/kubernetes/cmd/kube-controller-manager \
    kube-scheduler=k8s.io/kubernetes/cmd/kube-scheduler \
    kubectl=k8s.io/kubernetes/cmd/kubectl

  # etcd and kwok each from a module of their own, so their dependencies do not mix with kubernetes'.
  mkdir -p "$work/etcd"
  printf 'module evolve.local/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" > "$work/etcd/go.mod"
  build_module "$work/etcd" "" etcd=go.etcd.io/etcd/server/v3

  mkdir -p "$work/kwok"
  printf 'module evolve.local/kwok\n\ngo 1.26\n\nrequire sigs.k8s.io/kwok %s\n' "$KWOK_VERSION" > "$work/kwok/go.mod"
  build_module "$work/kwok" "" kwok=sigs.k8s.io/kwok/cmd/kwok

  echo "kubernetes=$KUBE_VERSION etcd=$ETCD_VERSION kwok=$KWOK_VERSION" > "$out/.complete"
  rm -rf "$dir"
  mv "$out" "$dir"
  log "built in $((SECONDS - started)) s"
  echo "$dir"
}

# A port nobody listens on right now, as the OS hands it out.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The certificates a TLS control plane needs, made once per DIR with openssl.
make_certs() {
  local pki="$1"
  mkdir -p "$pki"
  if ! command -v openssl >/dev/null 2>&1; then
    log "openssl is needed to make the control plane's certificates (apt-get install openssl)"
    exit 1
  fi
  (
    cd "$pki"
    exec 2>/dev/null >/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 -subj "/CN=evolve-sandbox-ca"
    # The aggregation layer's request-header CA; without it controller-manager and scheduler log errors in a loop.
    openssl req -x509 -newkey rsa:2048 -nodes -keyout front-proxy-ca.key -out front-proxy-ca.crt -days 3650 \
      -subj "/CN=evolve-sandbox-front-proxy-ca"
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver"
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' > apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 3650 -extfile apiserver.ext
    # The admin user is in system:masters, as a GKE cluster admin would be.
    openssl req -newkey rsa:2048 -nodes -keyout admin.key -out admin.csr -subj "/O=system:masters/CN=evolve-admin"
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out admin.crt -days 3650 -extfile client.ext
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  )
}

write_kubeconfig() {
  local file="$1" server="$2" pki="$3"
  cat > "$file" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: sandbox
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 < "$pki/ca.crt")
users:
- name: evolve-admin
  user:
    client-certificate-data: $(base64 -w0 < "$pki/admin.crt")
    client-key-data: $(base64 -w0 < "$pki/admin.key")
contexts:
- name: sandbox
  context:
    cluster: sandbox
    user: evolve-admin
    namespace: default
current-context: sandbox
KUBECONFIG
}

pids=()
names=()

# Starts one component in the background, its output in DIR/logs/NAME.log.
launch() {
  local name="$1"
  shift
  "$@" > "$dir/logs/$name.log" 2>&1 &
  pids+=("$!")
  names+=("$name")
}

# Kills the API server (SIGKILL, as a crash would), waits $1 seconds, starts it again on the same
# port and etcd, its output appended to its log; returns once it is ready again (or after 60 s).
restart_apiserver() {
  local down="${1:-0}" i
  for i in "${!names[@]}"; do
    [[ "${names[i]}" == kube-apiserver ]] && break
  done
  log "restarting kube-apiserver: SIGKILL, down ${down}s"
  kill -KILL "${pids[i]}" 2>/dev/null || true
  wait "${pids[i]}" 2>/dev/null || true
  sleep "$down" &
  wait $! || true
  apiserver >> "$dir/logs/kube-apiserver.log" 2>&1 &
  pids[i]=$!
  local deadline=$((SECONDS + 60))
  until curl -sf --cacert "$dir/pki/ca.crt" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" \
      "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1 || ((SECONDS > deadline)); do
    sleep 0.1
  done
  log "kube-apiserver restarted"
}

# Stops what `up` started, newest first: kwok and the controllers before the API server, etcd last.
stop_all() {
  trap - EXIT INT TERM
  local i
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill -TERM "${pids[i]}" 2>/dev/null || true
    local waited=0
    while kill -0 "${pids[i]}" 2>/dev/null && ((waited < 50)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    kill -KILL "${pids[i]}" 2>/dev/null || true
    wait "${pids[i]}" 2>/dev/null || true
  done
  log "control plane stopped"
}

# Waits until URL answers ok, or gives up naming the component and its log. The API server's
# certificate is checked against our CA; the controllers and kwok serve self-signed ones (-k).
await_healthy() {
  local name="$1" url="$2" seconds="$3"
  local deadline=$((SECONDS + seconds))
  local trust=(--cacert "$dir/pki/ca.crt")
  [[ "$name" == kube-apiserver ]] || trust=(-k)
  until curl -sf "${trust[@]}" --cert "$dir/pki/admin.crt" --key "$dir/pki/admin.key" "$url" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "$name did not become healthy within $seconds s; see $dir/logs/$name.log"
      exit 1
    fi
    sleep 0.1
  done
}

up() {
  local stages="" parent=""
  dir=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --dir) dir="$2"; shift 2 ;;
      --stages) stages="$2"; shift 2 ;;
      --parent-pid) parent="$2"; shift 2 ;;
      *) log "unknown option $1"; exit 2 ;;
    esac
  done
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  stages="${stages:-$root/sandbox/kwok/stages.yaml}"
  dir="${dir:-$(mktemp -d -t evolve-kube.XXXXXX)}"
  mkdir -p "$dir/logs"
  dir="$(cd "$dir" && pwd)"
  local bin
  bin="$(install)"
  trap stop_all EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  [[ -f "$dir/pki/sa.pub" ]] || make_certs "$dir/pki"
  local pki="$dir/pki"
  local etcd_port etcd_peer api_port cm_port sched_port kwok_port
  etcd_port=$(free_port); etcd_peer=$(free_port); api_port=$(free_port)
  cm_port=$(free_port); sched_port=$(free_port); kwok_port=$(free_port)
  local server="https://127.0.0.1:$api_port"
  write_kubeconfig "$dir/kubeconfig" "$server" "$pki"

  # etcd without fsync: the cluster lives as long as this process, and fsync is most of etcd's latency.
  launch etcd "$bin/etcd" --name sandbox --data-dir "$dir/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "sandbox=http://127.0.0.1:$etcd_peer" --log-level warn
  # A loopback address cannot be written into the kubernetes Service's Endpoints: no reconciler.
  # A function, so that restart_apiserver can start it again with the same arguments (exec: the
  # process launched is the API server itself, so its pid is the one to signal).
  apiserver() {
    exec "$bin/kube-apiserver" \
      --etcd-servers "http://127.0.0.1:$etcd_port" \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
      --endpoint-reconciler-type none \
      --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
      --client-ca-file "$pki/ca.crt" \
      --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
      --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
      --requestheader-extra-headers-prefix X-Remote-Extra- \
      --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
      --service-account-issuer https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range 10.96.0.0/16 \
      --authorization-mode Node,RBAC \
      --profiling=false
  }
  launch kube-apiserver apiserver
  await_healthy kube-apiserver "$server/readyz" 60

  launch kube-controller-manager "$bin/kube-controller-manager" \
    --kubeconfig "$dir/kubeconfig" --authentication-kubeconfig "$dir/kubeconfig" \
    --authorization-kubeconfig "$dir/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$cm_port" \
    --controllers '*' --use-service-account-credentials=true \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --node-monitor-grace-period 2m \
    --leader-elect=false --profiling=false
  launch kube-scheduler "$bin/kube-scheduler" \
    --kubeconfig "$dir/kubeconfig" --authentication-kubeconfig "$dir/kubeconfig" \
    --authorization-kubeconfig "$dir/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$sched_port" \
    --leader-elect=false --profiling=false
  # kwok plays the kubelet of every Node (they are all fake): it reports them Ready and moves pods
  # through the stages in $stages (start-up delays, graceful termination).
  launch kwok "$bin/kwok" \
    --kubeconfig "$dir/kubeconfig" --config "$stages" \
    --manage-all-nodes=true --node-lease-duration-seconds 40 --cidr 10.244.0.0/16 \
    --server-address "127.0.0.1:$kwok_port"
  await_healthy kube-controller-manager "https://127.0.0.1:$cm_port/healthz" 30
  await_healthy kube-scheduler "https://127.0.0.1:$sched_port/healthz" 30
  await_healthy kwok "http://127.0.0.1:$kwok_port/healthz" 30

  echo "control plane ready: $dir/kubeconfig"
  echo "  Kubernetes $KUBE_VERSION at $server (nodes and pods played by kwok $KWOK_VERSION)"
  echo "  export KUBECONFIG=$dir/kubeconfig; kubectl: $bin/kubectl"

  # --node-monitor-grace-period 2m (default 50 s): kwok renews no node lease until its watch is back,
  # which after an API server restart took about 50 s: the node controller then declared every node
  # NotReady and marked their pods not Ready, which no kubelet (kwok readies starting pods only)
  # ever reported Ready again. A kubelet that really stops is still seen within two minutes, and a
  # node reported NotReady (the chaos soak's fault) at once.
  # Stay until told to stop, a component dies, or the parent that started us is gone. A file
  # DIR/restart-kube-apiserver (holding seconds to stay down) asks for the API server to be killed
  # with SIGKILL and started again: the chaos soak's fault (scripts/chaos.sh).
  while true; do
    local i
    if [[ -f "$dir/restart-kube-apiserver" ]]; then
      restart_apiserver "$(cat "$dir/restart-kube-apiserver" 2>/dev/null || echo 0)"
      rm -f "$dir/restart-kube-apiserver"
    fi
    for i in "${!pids[@]}"; do
      if ! kill -0 "${pids[i]}" 2>/dev/null; then
        log "${names[i]} exited; see $dir/logs/${names[i]}.log"
        exit 1
      fi
    done
    if [[ -n "$parent" ]] && ! kill -0 "$parent" 2>/dev/null; then
      exit 0
    fi
    sleep 1 &
    wait $! || true
  done
}

case "${1:-}" in
  install) install ;;
  bin-dir) bin_dir ;;
  up) shift; up "$@" ;;
  *) echo "usage: $0 install | bin-dir | up [--dir DIR] [--stages FILE] [--parent-pid PID]" >&2; exit 2 ;;
esac
