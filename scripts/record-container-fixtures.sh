#!/usr/bin/env bash
# Records the container-matching fixtures from the real engine (test/unit/container-match.test.ts,
# container-facts.test.ts, proc-sockets.test.ts): `docker inspect` of the running test lab's containers, and of
# containers made from the lab's image beside it for a second cluster, "dummy", with the same member names; and
# /proc for one of them that listens on the host network. Secret values in the environment become "<removed>".
# Needs the test lab up (node dist/patroni-tui.js lab up --scope labtest --state-dir /tmp/patroni-tui-test-lab
# --port-offset 100). Removes the containers it made, by id.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/docker
proc_out=test/fixtures/proc
work=$(mktemp -d)
mkdir -p "$out" "$proc_out"
image=$(docker inspect --format '{{.Config.Image}}' patroni-tui-labtest-node1)
made=()
cleanup() {
	for id in "${made[@]}"; do docker rm -f "$id" >/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# The YAML a Patroni node would mount (its password is replaced in the recorded copy).
cat >"$work/patroni.yml" <<'YAML'
scope: dummy
name: node2
restapi: {listen: 127.0.0.1:28412, connect_address: 127.0.0.1:28412}
etcd3: {hosts: 127.0.0.1:22379}
postgresql:
  listen: 127.0.0.1:25434
  data_dir: /var/lib/postgresql/data
  authentication: {superuser: {username: postgres, password: recorded-secret}}
YAML
chmod 0644 "$work/patroni.yml"

run() { made+=("$(docker run -d -v /usr:/usr:ro "$@")"); }
run --name evidence-env --network none -e PATRONI_SCOPE=dummy -e PATRONI_NAME=node1 -e PATRONI_SUPERUSER_PASSWORD=recorded-secret "$image" /usr/bin/sleep infinity
run --name evidence-yaml --network none -v "$work/patroni.yml:/etc/patroni/patroni.yml:ro" "$image" /usr/bin/sleep infinity
run --name evidence-hostnet --network host -u postgres -w /tmp "$image" /bin/sh -c \
	'python3 -m http.server 28413 --bind 127.0.0.1 & python3 -m http.server 28415 --bind ::1 & wait'
run --name evidence-spilo --network none -e SCOPE=dummy -e PGVERSION=15 -e PGPASSWORD_SUPERUSER=recorded-secret "$image" /usr/bin/sleep infinity
run --name dummy-node1 --network none --hostname node1 --label com.docker.compose.project=dummy --label com.docker.compose.service=node1 "$image" /usr/bin/sleep infinity
for _ in $(seq 50); do grep -q ':6EFD ' /proc/net/tcp && grep -q ':6EFF ' /proc/net/tcp6 && break; sleep 0.2; done

sanitize() {
	python3 -c '
import json, re, sys
payloads = json.load(sys.stdin)
for payload in payloads:
    env = payload["Config"].get("Env") or []
    payload["Config"]["Env"] = [e.split("=", 1)[0] + "=<removed>" if re.search(r"PASS|SECRET|TOKEN|KEY|CREDENTIAL", e.split("=", 1)[0], re.I) else e for e in env]
json.dump(payloads, sys.stdout, indent=1)
print()'
}
docker inspect patroni-tui-labtest-etcd patroni-tui-labtest-haproxy patroni-tui-labtest-node1 patroni-tui-labtest-node2 patroni-tui-labtest-node3 | sanitize >"$out/inspect-labtest.json"
docker inspect evidence-env evidence-yaml evidence-hostnet evidence-spilo dummy-node1 | sanitize >"$out/inspect-foreign.json"
sed 's/password: recorded-secret/password: <removed>/' "$work/patroni.yml" >"$out/patroni.yml"

pid=$(docker inspect --format '{{.State.Pid}}' evidence-hostnet)
python3 - "$pid" >"$proc_out/evidence-hostnet.json" <<'PY'
import json, os, sys
root = int(sys.argv[1])
def stat(pid):
    return open(f"/proc/{pid}/stat").read()
def parent(pid):
    text = stat(pid)
    return int(text[text.rindex(")") + 2:].split(" ")[1])
children = {}
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try: children.setdefault(parent(int(entry)), []).append(int(entry))
        except OSError: pass
tree = [root]
for pid in tree: tree.extend(sorted(children.get(pid, [])))
def process(pid):
    fds = {}
    for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
        try: fds[fd] = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError: pass
    return {"pid": pid, "stat": stat(pid), "fd": fds}
processes = [process(pid) for pid in [parent(root), *tree]]
net = {name: open(f"/proc/{root}/net/{name}").read() for name in ("tcp", "tcp6")}
json.dump({"pid": root, "processes": processes, "net": net}, sys.stdout, indent=1)
print()
PY
echo "recorded into $out and $proc_out"
