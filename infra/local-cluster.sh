#!/usr/bin/env bash
# A ReputationGrid cluster on this machine, on loopback: Azurite (membership and account storage; MEMBERSHIP=redis
# keeps membership in a Redis instead), N silo processes and M gateway processes, each with its log in .cluster/.
# Installs what it needs (Azurite from the lock file; redis-server when asked for).
#
#   infra/local-cluster.sh start [--silos N] [--gateways M] [--api-key KEY]
#                                                              build, start everything, wait until ready
#   infra/local-cluster.sh stop                                gateways, then silos (SIGTERM: state written), then stores
#   infra/local-cluster.sh status                              what runs, with pids and addresses, and what died
#
# Gateways listen on http://127.0.0.1:5080, 5081, ... (gRPC on 5180, 5181, ...); silo health on 8080, 8081, ...
# With --api-key (default: $REPUTATIONGRID_API_KEY) the gateways require it, as an admin key named local-cluster;
# without one they run open on loopback (the development default). Add or remove silos with infra/silo.sh.
set -euo pipefail
source "$(dirname "$0")/cluster-lib.sh"

command="${1:-}"; shift || true
silos=3; gateways=1
while [ $# -gt 0 ]; do
  case "$1" in
    --silos) silos="$2"; shift 2 ;;
    --gateways) gateways="$2"; shift 2 ;;
    --api-key) api_key="$2"; shift 2 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

case "$command" in
  start)
    forget_dead_members
    [ -z "$(members)" ] || { echo "a cluster is already running (infra/local-cluster.sh stop first)" >&2; exit 1; }
    build
    start_stores
    start_silos "$silos"
    for i in $(seq 0 $((gateways - 1))); do start_gateway "$i"; done
    status ;;
  stop)
    for member in $(members gateway) $(members silo); do stop_member "$member"; done
    stop_stores
    forget_dead_members ;;
  status)
    status ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
