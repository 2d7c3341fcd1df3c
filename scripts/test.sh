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
	node dist/patroni-tui.js lab destroy --scope labtest --state-dir "${PATRONI_TUI_TEST_LAB_DIR:-${TMPDIR:-/tmp}/patroni-tui-test-lab}" --port-offset 100 || true
	node dist/patroni-tui.js lab destroy --scope v2lab --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-v2lab" --port-offset 600 || true
	node dist/patroni-tui.js lab destroy --scope faults --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faults" --port-offset 800 || true
	node dist/patroni-tui.js lab destroy --scope faultsync --state-dir "${TMPDIR:-/tmp}/patroni-tui-test-faultsync" --port-offset 900 || true
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
# Faults injected into labs of their own (etcd paused, containers killed, bad input, writes counted): ~8 min.
npm run --silent test:faults
