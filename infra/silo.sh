#!/usr/bin/env bash
# Adds a silo to, or removes one from, the cluster of infra/local-cluster.sh.
#
#   infra/silo.sh add          starts the next silo; it joins and takes new activations
#   infra/silo.sh remove [N]   stops silo N (default: the newest) with SIGTERM: it deactivates its
#                              accounts, writes their state and leaves; the others take its accounts
set -euo pipefail
source "$(dirname "$0")/cluster-lib.sh"

case "${1:-}" in
  add)
    [ -n "$(members silo)" ] || { echo "no cluster is running (infra/local-cluster.sh start)" >&2; exit 1; }
    last=$(members silo | sed 's/silo-//' | sort -n | tail -1)
    start_silo $((last + 1)) ;;
  remove)
    index="${2:-$(members silo | sed 's/silo-//' | sort -n | tail -1)}"
    [ "$(members silo | wc -l)" -gt 1 ] || { echo "refusing to remove the last silo" >&2; exit 1; }
    stop_member "silo-$index" ;;
  *)
    sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
