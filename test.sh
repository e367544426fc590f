#!/usr/bin/env bash
# Runs every test of the solution. Works on a fresh machine with the .NET 10 SDK: packages restore
# from the default NuGet source. Later steps (Azurite, Redis) install what they need here.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test ReputationGrid.sln --configuration Release "$@"
