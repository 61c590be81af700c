#!/usr/bin/env bash
# The README's test command. Sets up what the tests need (ops/test-services.sh: Chromium, fonts, npm,
# HAProxy, PostgreSQL), then runs every test of the solution. Extra arguments go to `dotnet test`
# (e.g. --filter). .ci/run calls this script and prints the totals.
set -uo pipefail
cd "$(dirname "$0")/.."
source ops/test-services.sh || exit 1
dotnet test BtsCcst.Grains.sln "$@"
