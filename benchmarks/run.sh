#!/usr/bin/env bash
# Runs every benchmark of ReputationGrid (see docs/BENCHMARKS.md):
#   1. the end-to-end load driver: each path (in-process, Orleans client over TCP, HTTP, gRPC, the gateway deployable, with and without an API key)
#      beside its baselines (a no-op grain call, a Redis Lua limiter and an empty endpoint behind the same HTTP
#      framework), with memory per account; the send check of accounts linked to devices, networks and contents, and a hot
#      entity taking a fixed rate of linking events. Every server runs in a process of its own and every load generator too
#      (wrk for HTTP, a load process of the driver's for the client and gRPC), except the in-process loops, which run
#      inside their silo's process;
#   2. the scoring core's BenchmarkDotNet micro-benchmarks (time and bytes allocated per event and per decision).
#
#   benchmarks/run.sh                    everything at full length (about 30 minutes on 2 cores)
#   benchmarks/run.sh --quick            a smoke check: short runs that only show everything works
#   benchmarks/run.sh --load-only ...    only the load driver;  --micro-only: only the micro-benchmarks
# Other arguments go to the load driver, e.g. --accounts 1000000 --paths inproc (see --help).
# Reports are printed and written under artifacts/benchmarks/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false load=true micro=true
driver_args=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true; driver_args+=("$arg") ;;
    --load-only) micro=false ;;
    --micro-only) load=false ;;
    *) driver_args+=("$arg") ;;
  esac
done

# The account storage and the Redis baseline need Debian's redis-server (each server process starts its own on a free
# loopback port), and the HTTP paths are driven by Debian's wrk.
ensure_package() { # command package
  command -v "$1" >/dev/null 2>&1 && return
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "$1 is missing and sudo is not available: install Debian's $2." >&2; exit 1; }
    sudo="sudo"
  fi
  echo "Installing $2..." >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$2" >/dev/null
}

out="$PWD/artifacts/benchmarks" # absolute: dotnet run starts a web project in its own folder
mkdir -p "$out"

if $load; then
  ensure_package redis-server redis-server
  ensure_package wrk wrk
  dotnet run --configuration Release --project benchmarks/ReputationGrid.LoadDriver -- \
    --report "$out/load.md" "${driver_args[@]}"
fi

if $micro; then
  micro_args=(--filter '*' --artifacts "$out/micro")
  if $quick; then micro_args+=(--quick); fi
  dotnet run --configuration Release --project benchmarks/ReputationGrid.Benchmarks -- "${micro_args[@]}"
fi
