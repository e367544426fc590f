#!/usr/bin/env bash
# Runs every test of the solution. Works on a fresh machine with the .NET 10 SDK: it installs what the
# tests need first (redis-server, Chromium and Node.js from the system packages if missing, then Azurite from the
# committed lock file); NuGet packages restore from the configured source.
set -euo pipefail
cd "$(dirname "$0")"

apt_install() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

# Redis, the membership store of the multi-process cluster tests.
command -v redis-server >/dev/null || apt_install redis-server

# Chromium, the headless browser the console's browser tests drive (Playwright never downloads one here).
command -v chromium >/dev/null || apt_install chromium

# Azurite, the Azure Storage emulator the storage tests start; reinstalled when the lock file changes.
if [ ! -x node_modules/.bin/azurite-table ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  npm ci --no-fund --no-audit
fi

dotnet test ReputationGrid.sln --configuration Release "$@"

# Smoke check of the benchmarks (docs/BENCHMARKS.md): they must run and print; no timing is asserted.
# benchmarks/run.sh installs Debian's redis-server (the Redis baseline) and wrk (the HTTP load) when they are missing.
benchmarks/run.sh --quick
