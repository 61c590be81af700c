# Sourced by ops/test.sh (and usable alone: `source ops/test-services.sh`): installs and starts what
# the tests need on a Debian machine, as root: Chromium and the DejaVu fonts (browser and PDF tests),
# npm (the build's browser libraries), HAProxy and PostgreSQL (cluster tests), aiosmtpd (e-mail tests). Idempotent. Exports
# CHROMIUM_PATH and BTSCCST_TEST_POSTGRES for the tests.
export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v npm >/dev/null 2>&1 || need+=(npm)
# HAProxy fronts the silos in the multi-process cluster tests (tests/BtsCcst.Cluster.Tests).
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
# A local SMTP server receives the access links the e-mail tests send (tests/BtsCcst.Server.Tests/Auth).
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || need+=(python3-aiosmtpd)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || { echo "apt-get install failed: ${need[*]}"; return 1 2>/dev/null || exit 1; }
fi
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

# PostgreSQL for the cluster-mode tests (tests/BtsCcst.Grains.Tests/Storage/PostgreSql*): the
# newest installed server's "main" cluster, started if down, with the role btsccst/btsccst
# (CREATEDB: each test class makes and drops its own database) and the database btsccst_test.
# Idempotent. On failure the tests that need it fail and are counted; the rest still run.
start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "Installing: postgresql"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null || return 1
  fi
  local version port
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    pg_createcluster "$version" main >/dev/null || return 1
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online" { found = 1 } END { exit !found }'; then
    pg_ctlcluster "$version" main start || return 1
  fi
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
  runuser -u postgres -- psql -q -X -v ON_ERROR_STOP=1 -p "$port" -d postgres >/dev/null <<'SQL' || return 1
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'btsccst') THEN
    CREATE ROLE btsccst LOGIN CREATEDB PASSWORD 'btsccst';
  ELSE
    ALTER ROLE btsccst LOGIN CREATEDB PASSWORD 'btsccst';
  END IF;
END
$$;
SELECT 'CREATE DATABASE btsccst_test OWNER btsccst'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'btsccst_test') \gexec
SQL
  export BTSCCST_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=btsccst;Password=btsccst;Database=btsccst_test"
  echo "PostgreSQL $version listening on port $port"
}
if [ -z "${BTSCCST_TEST_POSTGRES:-}" ]; then
  start_postgres || echo "PostgreSQL could not be started: the PostgreSql* tests will fail"
fi

