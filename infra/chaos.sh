#!/usr/bin/env bash
# A fault test an operator can run: a cluster of 3 silos, a gateway and Azurite (membership and account state), a
# steady load of send checks and operator bans and suspensions (tools/ReputationGrid.ChaosLoad), and faults under
# it: a silo killed (SIGKILL) and started again, then storage stopped for 10 s and started again; with --netns, then
# a partition too: one silo's link cut for 20 s and restored. With --saturate-storage, instead of those steps: storage
# saturated for that many seconds by a flood of writes of its own (about 2,000 writers, each with one write waiting),
# with the silos flushing counters every 2 s, so that their writes time out and are retried meanwhile.
# Reports, for each step, the requests failed, the longest request, the time until every check succeeds again and
# until the throughput is back to 80% of the one just before the step; then reads back every acknowledged ban and
# suspension, and counts checks that answered otherwise after one was acknowledged; with --saturate-storage, also the
# silos' failed counter flushes, as their logs count them. Exits 1 when a target is missed (6 s longest request, 80%
# throughput within 10 s, nothing lost or contradicted). Stops by itself (2 to 3 minutes) and removes what it started;
# logs stay in .chaos/.
#
#   infra/chaos.sh [--netns] [--hold SECONDS] [--storage-pause SECONDS] [--partition SECONDS]
#                  [--saturate-storage SECONDS [--flood-writers N]] [--ports BASE]
#
# On loopback it uses ports of its own, beside a cluster of infra/local-cluster.sh: gateway http://127.0.0.1:5280,
# silo health 5290-5292, silo ports 11280-11282, Orleans gateway ports 30280-30282, Azurite 10100; --ports BASE moves
# them all to BASE to BASE+49 (Azurite BASE, the gateway BASE+1, silo health from BASE+10, silo ports from BASE+20,
# Orleans gateway ports from BASE+30, gRPC BASE+40).
# --netns (root only) runs each silo, the gateway and Azurite as a host of its own: a network namespace (rgc-silo0,
# rgc-gateway0, rgc-azurite, ...) with its own address on a test bridge rgc-br0 (10.231.0.0/24, this machine
# 10.231.0.254), which the script creates and removes. The gateway then listens beyond loopback and requires a key:
# the script makes one for the run.
set -euo pipefail

hold=15          # seconds of load after each step, to see the recovery
storage_pause=10 # seconds storage stays stopped
partition=20     # seconds a silo stays cut off (--netns)
saturate=0       # seconds storage stays saturated (--saturate-storage); 0: the kill and stop steps instead
flood_writers=2000
port_base=""
netns=false
while [ $# -gt 0 ]; do
  case "$1" in
    --netns) netns=true; shift ;;
    --hold) hold="$2"; shift 2 ;;
    --storage-pause) storage_pause="$2"; shift 2 ;;
    --partition) partition="$2"; shift 2 ;;
    --saturate-storage) saturate="$2"; shift 2 ;;
    --flood-writers) flood_writers="$2"; shift 2 ;;
    --ports) port_base="$2"; shift 2 ;;
    *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
if $netns && [ "$(id -u)" -ne 0 ]; then echo "--netns needs root (network namespaces)" >&2; exit 2; fi

run="$(cd "$(dirname "$0")/.." && pwd)/.chaos"
azurite_port=10100
silo_port_base=11280
silo_gateway_port_base=30280
silo_health_port_base=5290
gateway_port_base=5280
gateway_grpc_port_base=5285
if [ -n "$port_base" ]; then
  azurite_port=$port_base
  gateway_port_base=$((port_base + 1))
  silo_health_port_base=$((port_base + 10))
  silo_port_base=$((port_base + 20))
  silo_gateway_port_base=$((port_base + 30))
  gateway_grpc_port_base=$((port_base + 40))
fi
CLUSTER_ID=reputationgrid-chaos
MEMBERSHIP=azuretable
rm -rf "$run"
source "$(dirname "$0")/cluster-lib.sh"

subnet=10.231.0
hosts=(azurite gateway-0 silo-0 silo-1 silo-2)
namespace() { echo "rgc-${1//-/}"; } # member name: silo-0 runs in rgc-silo0
if $netns; then
  member_address() {
    case "$1" in
      azurite) echo "$subnet.2" ;;
      gateway-*) echo "$subnet.$((3 + ${1#gateway-}))" ;;
      silo-*) echo "$subnet.$((11 + ${1#silo-}))" ;;
    esac
  }
  member_port_offset() { echo 0; }
  on_host() { echo "ip netns exec $(namespace "$1")"; }
  export_store_settings
  api_key="$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
fi

# A namespace per host, each with a veth pair whose outer end (rgc-silo0-h, ...) is on the bridge.
create_network() {
  ip link add rgc-br0 type bridge
  ip addr add "$subnet.254/24" dev rgc-br0
  ip link set rgc-br0 up
  local host ns
  for host in "${hosts[@]}"; do
    ns="$(namespace "$host")"
    ip netns add "$ns"
    ip link add "$ns-h" type veth peer name eth0 netns "$ns"
    ip link set "$ns-h" master rgc-br0 up
    ip -n "$ns" addr add "$(member_address "$host")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
}

remove_network() { # removing a namespace removes its veth pair
  local host
  for host in "${hosts[@]}"; do ip netns del "$(namespace "$host")" 2>/dev/null || true; done
  ip link del rgc-br0 2>/dev/null || true
}

events="$run/events"
load_pid=""

# Everything this script started, whatever happened: the load, the gateway, silos and Azurite (SIGKILL: their state
# does not matter once the figures are taken), then the network.
cleanup() {
  local pidfile pids=()
  [ -z "$load_pid" ] || pids+=("$load_pid")
  for pidfile in "$run"/*.pid; do [ -e "$pidfile" ] && pids+=("$(cat "$pidfile")"); done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  rm -f "$run"/*.pid
  if $netns; then remove_network; fi
}
trap cleanup EXIT

event() { # name: when it happened, for the load's figures
  echo "$(date +%s%3N) $1" >> "$events"
  echo "$(date -u +%H:%M:%S) $1"
}

stop_azurite() { # SIGINT: Azurite saves its data and exits
  local pid; pid="$(cat "$run/azurite.pid")"
  kill -INT "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { rm -f "$run/azurite.pid"; return 0; }; sleep 0.25; done
  echo "Azurite did not stop in 10 s" >&2; return 1
}

build
dotnet build "$repo/tools/ReputationGrid.ChaosLoad" -c "$configuration" -v quiet -nologo
if $netns; then remove_network; create_network; fi
# Counters flushed every 2 s rather than 30, so that flushes are written (and fail) all through the saturation.
if [ "$saturate" -gt 0 ]; then export Accounts__FlushInterval=00:00:02; fi
start_stores
start_silos 3
start_gateway 0

REPUTATIONGRID_API_KEY="$api_key" dotnet "$repo/tools/ReputationGrid.ChaosLoad/bin/$configuration/net10.0/ReputationGrid.ChaosLoad.dll" \
  --url "$(gateway_url 0)" --events "$events" --ready-file "$run/load.ready" --timeline "$run/timeline.csv" \
  --outage "storage stopped" --outage "storage saturated" \
  --max-duration $((6 * hold + storage_pause + partition + saturate + 120)) \
  > "$run/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 240); do [ -e "$run/load.ready" ] && break; kill -0 "$load_pid" 2>/dev/null || break; sleep 0.5; done
[ -e "$run/load.ready" ] || { echo "the load did not start; see $run/load.log" >&2; cat "$run/load.log" >&2; exit 1; }
echo "steady load running"
sleep "$hold"

if [ "$saturate" -gt 0 ]; then
  event "storage saturated"
  dotnet "$repo/tools/ReputationGrid.ChaosLoad/bin/$configuration/net10.0/ReputationGrid.ChaosLoad.dll" flood-storage \
    --connection "$azurite_connection" --writers "$flood_writers" --duration "$saturate" > "$run/flood.log" 2>&1 \
    || { echo "the storage flood failed; see $run/flood.log" >&2; cat "$run/flood.log" >&2; exit 1; }
  event "storage saturation ended"
  sleep "$hold"
else
  event "silo-1 killed"
  kill -KILL "$(cat "$run/silo-1.pid")"
  sleep "$hold"
  mv "$run/silo-1.log" "$run/silo-1.killed.log"
  event "silo-1 started again"
  start_silo 1
  sleep "$hold"

  event "storage stopped"
  stop_azurite
  sleep "$storage_pause"
  start_stores
  event "storage started again"
  sleep "$hold"
fi

if $netns; then
  event "silo-2 cut off"
  ip link set "$(namespace silo-2)-h" down
  sleep "$partition"
  ip link set "$(namespace silo-2)-h" up
  event "silo-2 link restored"
  sleep "$hold"
fi

# The load stops on SIGTERM, reports and exits with its verdict (1: a target missed); one that stopped already (its
# --max-duration) has left its verdict for wait, but the steps after it went unmeasured.
load_ended_early=false
kill -TERM "$load_pid" 2>/dev/null || load_ended_early=true
status=0
wait "$load_pid" || status=$?
load_pid=""
cat "$run/load.log"
if $load_ended_early; then
  echo "The load stopped before the last step ended (--max-duration): the later steps went unmeasured." >&2
  [ "$status" -ne 0 ] || status=1
fi
# Writes that met a newer stored version (logged by Orleans' storage provider): duplicate activations caught, and under
# saturation mostly an activation's own earlier write that landed after its caller had given up (reconciled, not lost).
echo "Writes that met a newer stored version (storage conflicts logged by the silos), by grain type:"
cat "$run"/silo-*.log | grep 'Error Writing.*UpdateConditionNotSatisfied' | grep -o 'GrainType=[a-z-]*' | sort | uniq -c || echo "  none"
if [ "$saturate" -gt 0 ]; then
  cat "$run/flood.log"
  # Each silo logs one warning when its flushes start failing and, when one is written again, how many failed.
  echo "Counter flushes, from the silos' logs: failing streaks begun (warnings), flushes failed (the sum of the recoveries), given up (lost):"
  for member in silo-0 silo-1 silo-2; do
    echo "  $member: $(grep -c 'Flushing the counters of account' "$run/$member.log" || true) warnings," \
      "$(grep -o 'written again, after [0-9]* failed' "$run/$member.log" | awk '{ n += $4 } END { print n + 0 }') failed," \
      "$(grep -c 'since its last write are lost' "$run/$member.log" || true) lost;" \
      "the last line about flushes: $(grep -o 'Flushing the counters of account\|written again, after [0-9]* failed' "$run/$member.log" | tail -1 || true)"
  done
fi
for member in silo-0 silo-1 silo-2; do
  if kill -0 "$(cat "$run/$member.pid")" 2>/dev/null; then echo "$member running"; else echo "$member exited"; fi
  grep -h "been told I am dead\|declared dead" "$run/$member.log" | head -2 | cut -c1-200 || true
done
exit "$status"
