#!/usr/bin/env bash
# Installs what the lab needs from Debian's packages when it is missing, and starts a Docker engine when none
# answers on its socket. Nothing is downloaded from anywhere but Debian's archive.
set -euo pipefail

# openssl: `lab up --tls` makes the lab's CA and certificates with it.
PACKAGES=(postgresql patroni etcd-server etcd-client haproxy docker.io tini tmux openssl)
SOCKET="${DOCKER_SOCKET:-/var/run/docker.sock}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/patroni-tui-dockerd.log}"
# When set, the pid of a dockerd this script starts is written here, so its caller can stop exactly that one.
DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-}"

missing=()
for package in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
	if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
		echo "setup: the lab needs these Debian packages: ${missing[*]}" >&2
		echo "setup: install them as root: apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "setup: installing ${missing[*]}" >&2
	apt-get update -qq
	# Debian's postinst scripts would start these services on machines with an init system; the lab runs its own.
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

docker_answers() {
	docker --host "unix://$SOCKET" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

if ! docker_answers; then
	if [[ $(id -u) -ne 0 ]]; then
		echo "setup: no Docker engine answers on $SOCKET; start one as root (dockerd)" >&2
		exit 1
	fi
	echo "setup: starting dockerd (log: $DOCKERD_LOG)" >&2
	# No bridge and no iptables: lab containers use the host network and listen on 127.0.0.1 only.
	setsid dockerd --host "unix://$SOCKET" --bridge=none --iptables=false --ip6tables=false \
		>"$DOCKERD_LOG" 2>&1 </dev/null &
	[[ -n "$DOCKERD_PIDFILE" ]] && echo $! >"$DOCKERD_PIDFILE"
	for _ in $(seq 1 60); do
		docker_answers && break
		sleep 0.5
	done
	if ! docker_answers; then
		echo "setup: dockerd did not answer within 30 s; its log ends with:" >&2
		tail -n 20 "$DOCKERD_LOG" >&2
		exit 1
	fi
fi
echo "setup: ready (Docker $(docker --host "unix://$SOCKET" version --format '{{.Server.Version}}'))" >&2
