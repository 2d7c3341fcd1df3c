#!/usr/bin/env bash
# The one quality gate: installs what is missing, builds, typechecks, runs the unit and component tests, then
# the tests against a real lab and the fault suite, which bring up their labs; every lab is torn down at the end,
# and a Docker engine this run started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

dockerd_pidfile=$(mktemp)
export DOCKERD_PIDFILE="$dockerd_pidfile"
bash scripts/setup.sh
bash scripts/deps.sh
npm run --silent typecheck
npm run --silent lint

cleanup() {
	local status=$?
	# Every lab the suites bring up, whether or not a suite got to tear its own down.
	node dist/patroni-tui.js lab destroy --yes --scope labtest --state-dir "${PATRONI_TUI_TEST_LAB_DIR:-${TMPDIR:-/tmp}/patroni-tui-test-lab}" --port-offset 100 || true
	node dist/patroni-tui.js lab destroy --yes --scope v2lab --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-v2lab" --port-offset 600 || true
	node dist/patroni-tui.js lab destroy --yes --scope faults --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faults" --port-offset 800 || true
	node dist/patroni-tui.js lab destroy --yes --scope faultsync --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faultsync" --port-offset 900 || true
	node dist/patroni-tui.js lab destroy --yes --tls --scope faultstls --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faultstls" --port-offset 1000 || true
	node dist/patroni-tui.js lab destroy --yes --tls --scope faultsynctls --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faultsynctls" --port-offset 1100 || true
	node dist/patroni-tui.js lab destroy --yes --tls --scope labtls --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-labtls" --port-offset 400 || true
	node dist/patroni-tui.js lab destroy --yes --tls --scope labtlsops --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-labtlsops" --port-offset 500 || true
	node dist/patroni-tui.js lab destroy --yes --scope labfleet --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-labfleet" --port-offset 1300 || true
	# The foreign clusters' processes: every pid test/helpers/foreign-cluster.ts listed and every member's postmaster
	# (its postmaster.pid), only those whose command line still names the cluster's folder (a pid reused since is not).
	local foreign="${TMPDIR:-/tmp}/patroni-tui-test-foreign" dir pid cmdline
	for dir in "$foreign"/*/; do
		dir=${dir%/}
		for pid in $(cat "$dir/pids" 2>/dev/null) $(head -qn1 "$dir"/*/data/postmaster.pid 2>/dev/null); do
			cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
			if [[ $cmdline == *"$dir"* ]]; then kill -9 "$pid" 2>/dev/null || true; fi
		done
	done
	rm -rf "$foreign"
	if [[ -s "$dockerd_pidfile" ]]; then
		# Stop only the engine this run started, by its pid.
		kill "$(cat "$dockerd_pidfile")" 2>/dev/null || true
		sleep 2
	fi
	rm -f "$dockerd_pidfile"
	exit "$status"
}
trap cleanup EXIT

npm run --silent test:unit
npm run --silent test:lab
# Clusters the lab did not make (plain processes, etcd v3 and v2) beside the test lab's containers: ~5 min.
npm run --silent test:foreign
# Faults injected into labs of their own (etcd paused, containers killed, bad input, writes counted): ~8 min.
npm run --silent test:faults
# The same suite once more on labs made with lab up --tls (scopes faultstls and faultsynctls; its report is
# docs/reliability-tls.md): every channel on TLS, etcd's root user on.
PATRONI_TUI_FAULTS_TLS=1 npm run --silent test:faults
