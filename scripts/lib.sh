# shellcheck shell=bash
# Helpers shared by scripts/setup, scripts/test and .ci/run. Source it; it
# runs nothing by itself.

# The Go toolchain: go.mod's toolchain line names the Go that builds and
# tests Newsdesk (the newest patch release, which scripts/vulncheck holds
# to: older ones have known vulnerabilities in net/http and html/template,
# and the golden files are written with it). Its go line stays the oldest Go
# the code compiles with, so a plain `go vet` on an older Go still works. A
# machine whose own Go is older fetches the toolchain from the module proxy,
# as the go command does for any module; GOTOOLCHAIN set in the environment
# wins.
nd_go_toolchain() { sed -n 's/^toolchain \(go[0-9.]*\)$/\1/p' "$(dirname "${BASH_SOURCE[0]}")/../go.mod"; }
export GOTOOLCHAIN="${GOTOOLCHAIN:-$(nd_go_toolchain)}"

nd_log() { printf '==> %s\n' "$*" >&2; }
nd_die() { printf 'error: %s\n' "$*" >&2; exit 1; }
nd_ci() { [ "${CI:-}" = true ]; }

# nd_tools_dir prints where scripts/setup keeps the pinned npm tools: outside
# the repo, so that a fresh clone (as in CI) reuses them. internal/testkit
# looks in the same place.
nd_tools_dir() {
	printf '%s\n' "${NEWSDESK_TOOLS:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/newsdesk-tools}"
}

# nd_vnu_path prints the path of vnu.jar: $NEWSDESK_VNU, the repo's own
# node_modules, or the tools folder of scripts/setup. It fails if none exists.
nd_vnu_path() {
	local root c
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	for c in "${NEWSDESK_VNU:-}" "$root/node_modules/vnu-jar/build/dist/vnu.jar" \
		"$(nd_tools_dir)/node_modules/vnu-jar/build/dist/vnu.jar"; do
		if [ -n "$c" ] && [ -f "$c" ]; then
			printf '%s\n' "$c"
			return 0
		fi
	done
	return 1
}

# nd_pg_bin prints the newest PostgreSQL server bin folder of Debian's
# packages, or fails when none is installed.
nd_pg_bin() {
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
	[ -n "$d" ] && [ -x "$d/pg_ctl" ] && printf '%s\n' "$d"
}

# nd_as_pg runs a shell command as the postgres user when we are root
# (initdb refuses root), else as ourselves.
nd_as_pg() {
	if [ "$(id -u)" = 0 ]; then
		su postgres -s /bin/sh -c "$1"
	else
		sh -c "$1"
	fi
}

# nd_port_busy reports whether something accepts connections on 127.0.0.1:$1.
nd_port_busy() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# nd_free_port prints the first port from $1 on which nothing listens.
nd_free_port() { local p; for p in $(seq "$1" $(($1 + 200))); do nd_port_busy "$p" || { echo "$p"; return; }; done; nd_die "no free port near $1"; }

# nd_wait_http waits up to a minute for a URL to answer with success.
nd_wait_http() { local i; for i in $(seq 1 600); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done; nd_die "$1 did not answer"; }

# nd_pg_reap cleans throwaway clusters that an earlier run left behind when it
# was killed: a cluster whose owning script has exited is stopped and removed.
# Clusters of runs still going on (another engineer's, say) are left alone.
nd_pg_reap() {
	local pgbin=$1 d owner
	for d in /tmp/newsdesk-pg.*; do
		[ -d "$d" ] || continue
		owner=$(cat "$d/owner" 2>/dev/null || true)
		if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
			continue
		fi
		# A folder without an owner may be one that another run is creating.
		if [ -z "$owner" ] && [ -n "$(find "$d" -maxdepth 0 -mmin -1)" ]; then
			continue
		fi
		if [ -f "$d/data/postmaster.pid" ]; then
			nd_as_pg "$pgbin/pg_ctl -D '$d/data' -m immediate -w stop" >/dev/null 2>&1 || true
		fi
		rm -rf "$d"
	done
}

# nd_pg_start starts a throwaway PostgreSQL cluster on 127.0.0.1, on the
# first free port from ${NEWSDESK_PG_PORT:-55432}, trusting local users. It
# sets ND_PG_DIR and exports NEWSDESK_TEST_POSTGRES. Stop it with nd_pg_stop.
nd_pg_start() {
	local pgbin port first tries=0
	pgbin=$(nd_pg_bin) || nd_die "no PostgreSQL server under /usr/lib/postgresql (run scripts/setup)"
	nd_pg_reap "$pgbin"
	# In /tmp, not $TMPDIR: the postgres user must be able to reach it.
	ND_PG_DIR=$(mktemp -d /tmp/newsdesk-pg.XXXXXX)
	echo "$$" >"$ND_PG_DIR/owner"
	[ "$(id -u)" = 0 ] && chown postgres "$ND_PG_DIR"
	nd_as_pg "$pgbin/initdb -D '$ND_PG_DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" \
		>"$ND_PG_DIR/initdb.log" 2>&1 || { cat "$ND_PG_DIR/initdb.log" >&2; nd_die "initdb failed"; }
	first=${NEWSDESK_PG_PORT:-55432}
	port=$first
	while :; do
		if ! nd_port_busy "$port" &&
			nd_as_pg "$pgbin/pg_ctl -D '$ND_PG_DIR/data' -l '$ND_PG_DIR/log' -w -o '-c listen_addresses=127.0.0.1 -p $port -k $ND_PG_DIR' start" >/dev/null; then
			break
		fi
		tries=$((tries + 1))
		if [ "$tries" -ge 20 ]; then
			cat "$ND_PG_DIR/log" >&2 2>/dev/null || true
			nd_die "could not start PostgreSQL on ports $first-$port"
		fi
		port=$((port + 1))
	done
	ND_PG_PORT=$port
	export NEWSDESK_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	nd_log "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($ND_PG_DIR)"
}

# nd_pg_stop stops the cluster of nd_pg_start and removes its folder. It is
# safe to call twice and from an EXIT trap.
nd_pg_stop() {
	[ -n "${ND_PG_DIR:-}" ] && [ -d "$ND_PG_DIR" ] || return 0
	local pgbin
	pgbin=$(nd_pg_bin) || return 0
	if [ -f "$ND_PG_DIR/data/postmaster.pid" ]; then
		nd_as_pg "$pgbin/pg_ctl -D '$ND_PG_DIR/data' -m fast -w stop" >/dev/null 2>&1 ||
			printf 'warning: pg_ctl stop failed for %s\n' "$ND_PG_DIR" >&2
	fi
	rm -rf "$ND_PG_DIR"
	ND_PG_DIR=
}

# SeaweedFS, the S3-compatible server the object-storage tests run against
# (Apache-2.0; MinIO is not packaged and its module is AGPL). scripts/setup
# builds this version from the Go module proxy into the tools folder, once:
# its go.mod has replace directives, so `go install` refuses it and it is
# built inside the downloaded module instead.
ND_WEED_VERSION=v0.0.0-20261109003541-7506e5f91cd6

# nd_weed_path prints where scripts/setup puts the SeaweedFS program;
# $NEWSDESK_WEED wins. internal/testkit/s3server looks in the same place.
nd_weed_path() { printf '%s\n' "${NEWSDESK_WEED:-$(nd_tools_dir)/bin/weed}"; }

# Mailpit, the SMTP server of the mail tests (MIT), built by scripts/setup
# from the Go module proxy into the tools folder; each test starts its own
# (internal/testkit/mailserver), on free loopback ports.
ND_MAILPIT_VERSION=v1.33.1

# nd_mailpit_path prints where scripts/setup puts Mailpit; $NEWSDESK_MAILPIT wins.
nd_mailpit_path() { printf '%s\n' "${NEWSDESK_MAILPIT:-$(nd_tools_dir)/bin/mailpit}"; }

# nd_s3_reap cleans servers that an earlier run left behind when it was
# killed, as nd_pg_reap does for clusters: a server whose owning script has
# exited is stopped by its process id and its folder removed.
nd_s3_reap() {
	local d owner pid
	for d in /tmp/newsdesk-s3.*; do
		[ -d "$d" ] || continue
		owner=$(cat "$d/owner" 2>/dev/null || true)
		if [ -n "$owner" ] && kill -0 "$owner" 2>/dev/null; then
			continue
		fi
		if [ -z "$owner" ] && [ -n "$(find "$d" -maxdepth 0 -mmin -1)" ]; then
			continue
		fi
		pid=$(cat "$d/pid" 2>/dev/null || true)
		if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "weed server"; then
			kill "$pid" 2>/dev/null || true
		fi
		rm -rf "$d"
	done
}

# nd_s3_start starts a throwaway SeaweedFS server (master, volume, filer and
# S3 gateway in one process) on 127.0.0.1, its S3 port the first free one
# from ${NEWSDESK_S3_PORT:-18333}, with one access key made up for the run.
# It sets ND_S3_DIR and ND_S3_PID and exports NEWSDESK_TEST_S3 as
# http://KEY:SECRET@127.0.0.1:PORT. Stop it with nd_s3_stop.
nd_s3_start() {
	local bin first off p ok secret i
	bin=$(nd_weed_path)
	[ -x "$bin" ] || nd_die "no SeaweedFS program at $bin (run scripts/setup)"
	nd_s3_reap
	ND_S3_DIR=$(mktemp -d /tmp/newsdesk-s3.XXXXXX)
	echo "$$" >"$ND_S3_DIR/owner"
	secret=$(od -An -N18 -tx1 /dev/urandom | tr -d ' \n')
	printf '{"identities": [{"name": "newsdesk", "credentials": [{"accessKey": "newsdesk", "secretKey": "%s"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}\n' \
		"$secret" >"$ND_S3_DIR/s3.json"
	chmod 600 "$ND_S3_DIR/s3.json"
	mkdir "$ND_S3_DIR/data"
	# Four ports a fixed distance apart (S3, master, volume, filer), and
	# nothing on each one's +10000 either, where SeaweedFS puts its gRPC.
	first=${NEWSDESK_S3_PORT:-18333}
	for off in $(seq 0 2 100); do
		ok=1
		for p in $((first + off)) $((first + off + 1000)) $((first + off - 253)) $((first + off + 555)); do
			if nd_port_busy "$p" || nd_port_busy $((p + 10000)); then ok=0; break; fi
		done
		[ "$ok" = 1 ] && break
	done
	[ "$ok" = 1 ] || nd_die "no free ports for SeaweedFS near $first"
	ND_S3_PORT=$((first + off))
	"$bin" server -dir="$ND_S3_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
		-s3 -s3.port="$ND_S3_PORT" -master.port=$((ND_S3_PORT + 1000)) \
		-volume.port=$((ND_S3_PORT - 253)) -filer.port=$((ND_S3_PORT + 555)) \
		-master.volumeSizeLimitMB=256 -volume.max=32 -volume.preStopSeconds=1 \
		-s3.port.iceberg=0 -s3.port.lance=0 -s3.config="$ND_S3_DIR/s3.json" \
		>"$ND_S3_DIR/log" 2>&1 &
	ND_S3_PID=$!
	echo "$ND_S3_PID" >"$ND_S3_DIR/pid"
	# Up when the master hands out file ids (a volume server has joined)
	# and the S3 gateway answers at all (403 to a request without a key).
	for i in $(seq 1 1200); do
		if curl -fsS -o /dev/null "http://127.0.0.1:$((ND_S3_PORT + 1000))/dir/assign" 2>/dev/null &&
			[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ND_S3_PORT/" 2>/dev/null)" != 000 ]; then
			break
		fi
		if ! kill -0 "$ND_S3_PID" 2>/dev/null; then
			tail -40 "$ND_S3_DIR/log" >&2
			nd_die "SeaweedFS exited while starting"
		fi
		sleep 0.1
	done
	[ "$i" -lt 1200 ] || { tail -40 "$ND_S3_DIR/log" >&2; nd_die "SeaweedFS did not come up in two minutes"; }
	export NEWSDESK_TEST_S3="http://newsdesk:$secret@127.0.0.1:$ND_S3_PORT"
	nd_log "SeaweedFS S3 on 127.0.0.1:$ND_S3_PORT, pid $ND_S3_PID ($ND_S3_DIR)"
}

# nd_s3_stop stops the server of nd_s3_start by its process id (it takes a
# few seconds) and removes its folder. It is safe to call twice and from an
# EXIT trap.
nd_s3_stop() {
	[ -n "${ND_S3_DIR:-}" ] && [ -d "$ND_S3_DIR" ] || return 0
	local i
	if [ -n "${ND_S3_PID:-}" ] && kill "$ND_S3_PID" 2>/dev/null; then
		for i in $(seq 1 300); do
			kill -0 "$ND_S3_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$ND_S3_PID" 2>/dev/null || true
		wait "$ND_S3_PID" 2>/dev/null || true
	fi
	rm -rf "$ND_S3_DIR"
	ND_S3_DIR= ND_S3_PID=
}
