#!/usr/bin/env bash
# Runs every test of the solution. Works on a fresh machine with the .NET 10 SDK: packages restore
# from the default NuGet source. Later steps (Azurite, Redis) install what they need here.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test ReputationGrid.sln --configuration Release "$@"

# Smoke check of the benchmarks (docs/BENCHMARKS.md): they must run and print; no timing is asserted.
# benchmarks/run.sh installs Debian's redis-server for the Redis baseline when it is missing.
benchmarks/run.sh --quick
