#!/usr/bin/env bash
# Builds the planning benchmark (Release, with the planner and the sample generator it references), then runs its exam-day
# repair mode (--repair): plans the academy and national sizes of the sample generator (seed 42) once (60 s, 2 workers),
# then repairs busy centre-days after 1, 5 and 20 random events (5 trials each) with DayRepairer (1.5 s, 2 workers),
# timing each repair and checking every repaired schedule with the validator; each request is repaired again with 10 s
# for reference (--reference-limit 0 skips that). About 5 minutes after the build.
# usage: ops/bench/repair.sh [options]      (ops/bench/repair.sh --help lists them)
#        ops/bench/repair.sh --days [--trials N] [--sizes LIST] [--no-results]   full centre-days of 25, 45, 60 candidates (issue 13)
# Writes the figures into ops/bench/RESULTS.md (its repair blocks only).
# Builds only ops/bench/BtsCcst.PlanningBenchmarks (with what it references), not the solution.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

dotnet build ops/bench/BtsCcst.PlanningBenchmarks/BtsCcst.PlanningBenchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

export BENCH_COMMAND="ops/bench/repair.sh${*:+ $*}"
# --days [--trials N] [--sizes 25,45,60] [--no-results]: repairs of full centre-days of 25, 45 and 60 candidates as the server runs them (issue 13; DayRepairs.cs),
# about 10 minutes; writes its own block of RESULTS.md.
if [[ "${1:-}" == "--days" ]]; then
  shift
  exec dotnet ops/bench/BtsCcst.PlanningBenchmarks/bin/Release/net10.0/linux-x64/BtsCcst.PlanningBenchmarks.dll --repair-days "$@"
fi
exec dotnet ops/bench/BtsCcst.PlanningBenchmarks/bin/Release/net10.0/linux-x64/BtsCcst.PlanningBenchmarks.dll --repair "$@"
