#!/usr/bin/env bash
# The main job on the embedded default: installs missing OS packages, builds, renders the sample calls,
# processes them through the pipeline (SQLite + in-memory Hangfire) and serves the web UI on
# http://127.0.0.1:5080, printing the demo login. Extra arguments go to `hotlineqa demo` (e.g. --urls, --no-serve).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --no-browser
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build src/HotlineQA/HotlineQA.csproj -c Release -warnaserror -v quiet -nologo
exec dotnet src/HotlineQA/bin/Release/net10.0/hotlineqa.dll demo "$@"
