#!/usr/bin/env bash
# Builds the planning benchmark (Release, with the planner and the sample generator it references), then runs it.
# usage: ops/bench/plan.sh [benchmark options]      (ops/bench/plan.sh --help lists them)
# Defaults: sizes small, academy and national of the sample generator (seed 42); the greedy baseline, then the planner
# with 30 s and 120 s time limits, 2 workers; every measurement in a process of its own. About 8 minutes.
# Writes the figures into ops/bench/RESULTS.md (its planning blocks only).
# Builds only ops/bench/BtsCcst.PlanningBenchmarks (with what it references), not the solution.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

dotnet build ops/bench/BtsCcst.PlanningBenchmarks/BtsCcst.PlanningBenchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

export BENCH_COMMAND="ops/bench/plan.sh${*:+ $*}"
exec dotnet ops/bench/BtsCcst.PlanningBenchmarks/bin/Release/net10.0/linux-x64/BtsCcst.PlanningBenchmarks.dll "$@"
