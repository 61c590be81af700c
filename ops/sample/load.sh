#!/usr/bin/env bash
# Loads a sample session into a running server.
# usage: ops/sample/load.sh [base_url] [dir]   (defaults: http://localhost:5000 and data/sample)
# Obtains an organiser token from the embedded default's dev route (loopback only), then imports
# juries, centres, examiners, candidates, conformity and marks, in that order, into session 2024.
# KINDS="..." imports only those files (e.g. KINDS="juries centres examiners candidates conformity"
# to plan the orals before any mark exists); SESSION=... changes the session id.
set -euo pipefail

base="${1:-http://localhost:5000}"
base="${base%/}"
dir="${2:-data/sample}"
session="${SESSION:-2024}"
kinds="${KINDS:-juries centres examiners candidates conformity marks}"

for kind in $kinds; do
  if [[ ! -f "$dir/$kind.csv" ]]; then
    echo "missing $dir/$kind.csv (generate it with: dotnet run --project ops/sample/BtsCcst.SampleGenerator -- --out $dir)" >&2
    exit 1
  fi
done

body="$(mktemp)"
trap 'rm -f "$body"' EXIT

# post URL CONTENT_TYPE CURL_DATA_ARG AUTH_HEADER... : prints the response, fails on a non-2xx status.
post() {
  local url="$1" type="$2" data="$3"
  shift 3
  local status
  if ! status="$(curl -sS -o "$body" -w '%{http_code}' -X POST -H "Content-Type: $type" "$@" --data-binary "$data" "$url")"; then
    echo "POST $url: request failed (is the server running at $base?)" >&2
    exit 1
  fi
  echo "POST $url -> $status"
  cat "$body"
  echo
  if [[ "$status" != 2?? ]]; then
    echo "POST $url failed with HTTP $status" >&2
    exit 1
  fi
}

post "$base/api/dev/tokens" application/json '{"role":"organiser","name":"sample-loader"}' >/dev/null
if command -v python3 >/dev/null 2>&1; then
  token="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' <"$body" 2>/dev/null || true)"
else
  token="$(sed -n 's/.*"token"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$body")"
fi
if [[ -z "$token" ]]; then
  echo "no token in the answer of $base/api/dev/tokens" >&2
  exit 1
fi
echo "organiser token obtained"

for kind in $kinds; do
  post "$base/api/sessions/$session/imports/$kind" text/csv "@$dir/$kind.csv" -H "Authorization: Bearer $token"
done
