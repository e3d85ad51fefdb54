#!/usr/bin/env bash
# Runs every test: installs what the tests need, starts PostgreSQL, builds, runs unit and integration tests.
# CI=true makes every test that needs ffmpeg, PostgreSQL, Chromium or a model fail loudly when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export HOTLINEQA_TEST_PG="${HOTLINEQA_TEST_PG:-$(./scripts/pg-start.sh | tail -n 1)}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet build HotlineQA.sln -c Release -warnaserror 2>&1 | tail -n 3
log=$(mktemp)
set +e
dotnet test HotlineQA.sln -c Release --no-build 2>&1 | tee "$log" | grep --line-buffered -vE "^(A total of|Test run for|No test is available|Additionally, path)"
status=${PIPESTATUS[0]}
set -e
# One plain closing line over all test assemblies.
awk '/(Passed|Failed)! +- Failed: /{gsub(",","");for(i=1;i<=NF;i++){if($i=="Failed:")f+=$(i+1);if($i=="Passed:")p+=$(i+1);if($i=="Skipped:")s+=$(i+1)}} END{printf "%d passed, %d failed, %d skipped\n",p,f,s}' "$log"
if grep -qE "Skipped: [1-9]" "$log" && [ "${CI:-}" = "true" ]; then echo "tests were skipped in CI: not allowed" >&2; status=1; fi
exit $status
