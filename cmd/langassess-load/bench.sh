#!/usr/bin/env bash
# Intake benchmark behind docs/benchmarks.md: builds langassess and
# langassess-load, runs `serve` on a throwaway PostgreSQL database, then on
# SQLite in a temp dir, and drives each with the same load. Each run also
# measures GET /healthz on the same server as its baseline.
#
#   cmd/langassess-load/bench.sh [N answers] [C clients]
#
# Needs PostgreSQL on 127.0.0.1:5432 reachable as postgres (as .ci/run sets up).
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-2000}
c=${2:-16}
pg_admin=${LANGASSESS_BENCH_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
db=langassess_intake_bench
tmp=$(mktemp -d)
go build -o "$tmp/langassess" ./cmd/langassess
go build -o "$tmp/langassess-load" ./cmd/langassess-load

bench() { # name, then env assignments for the server
	local name=$1
	shift
	local addr=127.0.0.1:18470
	env "$@" LANGASSESS_ADDR=$addr LANGASSESS_LOG_LEVEL=warn "$tmp/langassess" serve >"$tmp/$name.log" 2>&1 &
	local pid=$!
	for _ in $(seq 300); do
		curl -sf "http://$addr/readyz" >/dev/null 2>&1 && break
		sleep 0.2
	done
	local admin
	admin=$(env "$@" "$tmp/langassess" token create --role admin --name bench 2>/dev/null)
	echo "== $name ($(nproc) cores, $(go version | cut -d' ' -f3))"
	"$tmp/langassess-load" --url "http://$addr" --token "$admin" --n "$n" --c "$c"
	kill "$pid"
	wait "$pid" || true
}

psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
bench postgres DATABASE_URL="${pg_admin%%/postgres\?*}/$db?sslmode=disable"
psql "$pg_admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)"
bench sqlite DATABASE_URL= LANGASSESS_DATA_DIR="$tmp/data"
rm -rf "$tmp"
