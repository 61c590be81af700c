#!/usr/bin/env bash
# Builds the second-group benchmark (Release) and runs it: plans the contrôle orals of a national session (10 % of its
# candidates, two units each) and renders the transcripts and minutes of a 3,000-candidate jury. About 2 minutes.
# usage: ops/bench/second-group.sh [options]      (ops/bench/second-group.sh --help lists them)
# Writes the figures into ops/bench/RESULTS.md (its second-group blocks only).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

dotnet build ops/bench/BtsCcst.SecondGroupBenchmarks/BtsCcst.SecondGroupBenchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
exec dotnet ops/bench/BtsCcst.SecondGroupBenchmarks/bin/Release/net10.0/linux-x64/BtsCcst.SecondGroupBenchmarks.dll "$@"
