#!/usr/bin/env bash
# Builds the server and the benchmark (Release), then runs the benchmark against the built server.
# usage: ops/bench/run.sh [benchmark options]      (ops/bench/run.sh --help lists them)
# Defaults: 3,000 candidates (seed 1); 16 PUT clients for 10 s; 50 board clients, 20 marks/s for 30 s,
# all on one jury then spread over every jury. Writes the figures into ops/bench/RESULTS.md.
# Cluster mode (same workload): --cluster postgres --silos 1|2 [--postgres CONN] runs that many silos in
# PostgreSQL mode on a fresh database (created, then dropped; CONN defaults to $BTSCCST_TEST_POSTGRES or the
# local btsccst user); --cluster all measures embedded 1 silo, PostgreSQL 1 silo and 2 silos one after the
# other. Both write only the cluster: blocks of RESULTS.md (one row per configuration).
# Builds only src/BtsCcst.Server and ops/bench/BtsCcst.Benchmarks (with what they reference), not the solution.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

build() {
  dotnet build "$1" -c Release --nologo -v quiet -clp:ErrorsOnly
}

build src/BtsCcst.Server/BtsCcst.Server.csproj
build ops/bench/BtsCcst.Benchmarks/BtsCcst.Benchmarks.csproj

export BENCH_COMMAND="ops/bench/run.sh${*:+ $*}"
exec dotnet ops/bench/BtsCcst.Benchmarks/bin/Release/net10.0/linux-x64/BtsCcst.Benchmarks.dll \
  --server-dll src/BtsCcst.Server/bin/Release/net10.0/linux-x64/BtsCcst.Server.dll "$@"
