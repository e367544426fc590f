# Shared by local-cluster.sh and silo.sh: where things run and how to start and stop them.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Where things run; a caller may set any of these before sourcing, to run a second cluster beside the first.
run="${run:-$repo/.cluster}"
redis_port="${redis_port:-6390}"
azurite_port="${azurite_port:-10012}"
# Silo N listens on silo_port_base+N, its Orleans gateway on silo_gateway_port_base+N and its health endpoints on
# silo_health_port_base+N; gateway N serves HTTP on gateway_port_base+N and gRPC on gateway_grpc_port_base+N.
silo_port_base="${silo_port_base:-11111}"
silo_gateway_port_base="${silo_gateway_port_base:-30000}"
silo_health_port_base="${silo_health_port_base:-8080}"
gateway_port_base="${gateway_port_base:-5080}"
gateway_grpc_port_base="${gateway_grpc_port_base:-5180}"
configuration=Release
api_key="${REPUTATIONGRID_API_KEY:-}"
mkdir -p "$run"

# Where each member runs: all on loopback, each silo and gateway with ports of its own (N, its index, is added to
# each port base). A caller that puts members on hosts of their own redefines these three, then calls
# export_store_settings again.
member_address() { echo 127.0.0.1; }                # name: the address the member listens on and advertises
member_port_offset() { echo "$1"; }                  # index: added to the member's port bases
on_host() { :; }                                     # name: the words that run a command on the member's host

# Membership in Azurite beside the account state, so the cluster needs one store; MEMBERSHIP=redis keeps it in a Redis.
membership="${MEMBERSHIP:-azuretable}"
export_store_settings() {
  azurite_connection="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://$(member_address azurite):$azurite_port/devstoreaccount1;"
  export Clustering__Provider="$membership"
  if [ "$membership" = redis ]; then
    export Clustering__ConnectionString="127.0.0.1:$redis_port"
  else
    export Clustering__ConnectionString="$azurite_connection"
  fi
  export Clustering__ClusterId="${CLUSTER_ID:-reputationgrid-local}"
  export Clustering__ServiceId="${SERVICE_ID:-reputationgrid}"
  export Storage__Provider=azuretable
  export Storage__ConnectionString="$azurite_connection"
}
export_store_settings

install_missing() { # command package
  command -v "$1" >/dev/null 2>&1 && return
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

build() {
  dotnet build "$repo/src/ReputationGrid.Silo" -c "$configuration" -v quiet -nologo
  dotnet build "$repo/src/ReputationGrid.Gateway" -c "$configuration" -v quiet -nologo
  if [ ! -x "$repo/node_modules/.bin/azurite-table" ]; then
    install_missing npm npm
    (cd "$repo" && npm ci --no-fund --no-audit)
  fi
  [ "$membership" != redis ] || install_missing redis-server redis-server
}

# The members that run (silo-0, gateway-1, ...), optionally of one kind. A member that died (killed, crashed) keeps
# its pid file until the cluster is stopped or started again, so that status shows it as dead.
members() {
  local pidfile
  for pidfile in "$run"/${1:-}*.pid; do
    [ -e "$pidfile" ] || continue
    if kill -0 "$(cat "$pidfile")" 2>/dev/null; then basename "$pidfile" .pid; fi
  done
}

# The members that were started and are no longer running.
dead_members() {
  local pidfile
  for pidfile in "$run"/*.pid; do
    [ -e "$pidfile" ] || continue
    kill -0 "$(cat "$pidfile")" 2>/dev/null || basename "$pidfile" .pid
  done
}

forget_dead_members() {
  local member
  for member in $(dead_members); do rm -f "$run/$member.pid"; done
}

wait_ready() { # name url
  for _ in $(seq 1 120); do
    if curl -fs -o /dev/null "$2"; then echo "$1 ready"; return 0; fi
    kill -0 "$(cat "$run/$1.pid")" 2>/dev/null || { echo "$1 exited; see $run/$1.log" >&2; tail -20 "$run/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 not ready after 60 s; see $run/$1.log" >&2; return 1
}

start_stores() {
  local ports=("$(member_address azurite):$azurite_port")
  if [ "$membership" = redis ]; then
    redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no > "$run/redis.log" 2>&1 &
    echo $! > "$run/redis.pid"
    ports+=("127.0.0.1:$redis_port")
  fi
  mkdir -p "$run/azurite"
  # shellcheck disable=SC2046 # on_host is a list of words without spaces
  $(on_host azurite) "$repo/node_modules/.bin/azurite-table" --tableHost "$(member_address azurite)" --tablePort "$azurite_port" \
    --location "$run/azurite" --disableTelemetry --silent > "$run/azurite.log" 2>&1 &
  echo $! > "$run/azurite.pid"
  local endpoint
  for endpoint in "${ports[@]}"; do
    for _ in $(seq 1 60); do (exec 3<>"/dev/tcp/${endpoint%:*}/${endpoint#*:}") 2>/dev/null && continue 2; sleep 0.25; done
    echo "the store at $endpoint did not start; see $run/" >&2; return 1
  done
}

stop_stores() {
  # Azurite saves its data on SIGINT; Redis keeps nothing (membership is rebuilt by the silos).
  [ -e "$run/azurite.pid" ] && kill -INT "$(cat "$run/azurite.pid")" 2>/dev/null || true
  [ -e "$run/redis.pid" ] && kill -TERM "$(cat "$run/redis.pid")" 2>/dev/null || true
  rm -f "$run/azurite.pid" "$run/redis.pid"
}

launch_silo() { # index: starts it without waiting
  local name="silo-$1" dir="$repo/src/ReputationGrid.Silo/bin/$configuration/net10.0" n address
  n="$(member_port_offset "$1")"; address="$(member_address "$name")"
  # shellcheck disable=SC2046 # on_host is a list of words without spaces
  (cd "$dir" && Clustering__AdvertisedAddress="$address" Clustering__SiloPort=$((silo_port_base + n)) \
    Clustering__GatewayPort=$((silo_gateway_port_base + n)) \
    exec $(on_host "$name") dotnet ReputationGrid.Silo.dll --urls "$(silo_health_url "$1")") > "$run/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
}

silo_health_url() { # index
  echo "http://$(member_address "silo-$1"):$((silo_health_port_base + $(member_port_offset "$1")))"
}

gateway_url() { # index
  echo "http://$(member_address "gateway-$1"):$((gateway_port_base + $(member_port_offset "$1")))"
}

start_silo() { # index
  launch_silo "$1"
  wait_ready "silo-$1" "$(silo_health_url "$1")/healthz"
}

start_silos() { # count: launched together, then each waited for
  local i
  for i in $(seq 0 $(($1 - 1))); do launch_silo "$i"; done
  for i in $(seq 0 $(($1 - 1))); do wait_ready "silo-$i" "$(silo_health_url "$i")/healthz"; done
}

# The gateways' authentication: an admin key named local-cluster when $api_key is set (only its hash is passed).
auth_args() {
  [ -n "$api_key" ] || return 0
  echo "--Auth:Keys:0:Name local-cluster --Auth:Keys:0:Role admin --Auth:Keys:0:Sha256 $(printf %s "$api_key" | sha256sum | cut -d' ' -f1)"
}

start_gateway() { # index
  local name="gateway-$1" dir="$repo/src/ReputationGrid.Gateway/bin/$configuration/net10.0"
  local grpc="http://$(member_address "$name"):$((gateway_grpc_port_base + $(member_port_offset "$1")))"
  # shellcheck disable=SC2046 # on_host and auth_args are lists of words without spaces
  (cd "$dir" && exec $(on_host "$name") dotnet ReputationGrid.Gateway.dll --urls "$(gateway_url "$1")" \
    --Gateway:GrpcUrl "$grpc" $(auth_args)) > "$run/$name.log" 2>&1 &
  echo $! > "$run/$name.pid"
  wait_ready "$name" "$(gateway_url "$1")/healthz"
}

stop_member() { # name: SIGTERM, then wait up to the silo's two-minute shutdown timeout
  local pid; pid="$(cat "$run/$1.pid")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 260); do kill -0 "$pid" 2>/dev/null || { rm -f "$run/$1.pid"; echo "$1 stopped"; return 0; }; sleep 0.5; done
  echo "$1 did not stop in time; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true; rm -f "$run/$1.pid"
}

status() {
  local member
  for member in $(members) $(dead_members); do
    if ! kill -0 "$(cat "$run/$member.pid")" 2>/dev/null; then
      echo "$member DEAD (pid $(cat "$run/$member.pid") is gone; see $run/$member.log)"
      continue
    fi
    case "$member" in
      silo-*) echo "$member pid $(cat "$run/$member.pid") silo port $((silo_port_base + ${member#silo-})) gateway port $((silo_gateway_port_base + ${member#silo-})) health $(silo_health_url "${member#silo-}")/healthz" ;;
      gateway-*) echo "$member pid $(cat "$run/$member.pid") $(gateway_url "${member#gateway-}") gRPC http://127.0.0.1:$((gateway_grpc_port_base + ${member#gateway-}))" ;;
      *) echo "$member pid $(cat "$run/$member.pid")" ;;
    esac
  done
}
