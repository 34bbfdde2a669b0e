#!/usr/bin/env bash
# snaptier's test Ceph: a throw-away one-node cluster (one monitor, one OSD keeping objects in
# memory, one RADOS Gateway) on 127.0.0.1, run as root without systemd. The gateway is a real S3
# endpoint: signatures checked, If-None-Match enforced, Object Lock, extra storage classes.
#
#   scripts/ceph-up.sh DIR [PORT]   start it in DIR (gateway on PORT, default 7480; monitor on
#                                   PORT+1); prints `export` lines for the tests on stdout
#   scripts/ceph-down.sh DIR        stop it and delete DIR
#
# Debian packages: ceph-mon ceph-osd radosgw ceph-common. About 30 s to start, 400 MB of memory,
# and up to MEMSTORE_BYTES of stored data in RAM. Daemon logs: DIR/log.
set -euo pipefail

DIR=${1:?usage: scripts/ceph-up.sh DIR [PORT]}
PORT=${2:-7480}
MON_PORT=$((PORT + 1))
MEMSTORE_BYTES=$((4 << 30))
# Registered before the tests run, so that --data-tier can name them; on RGW they are placement
# labels only (a GLACIER object stays readable), which is all the tiering tests need.
STORAGE_CLASSES=(STANDARD_IA ONEZONE_IA GLACIER_IR)
ACCESS_KEY=CEPHTESTKEY
SECRET_KEY=CEPHTESTSECRET

need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null && continue
    echo "ceph-up: $tool not found; install: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common" >&2
    exit 1
  done
}
need ceph ceph-mon ceph-osd radosgw radosgw-admin ceph-authtool monmaptool

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
mkdir -p "$DIR/mon" "$DIR/osd" "$DIR/rgw" "$DIR/run" "$DIR/log"
SETUP_LOG=$DIR/log/setup.log
CONF=$DIR/ceph.conf
FSID=$(cat /proc/sys/kernel/random/uuid)

# Everything in one file; no authentication (127.0.0.1 only), one copy of every object.
cat >"$CONF" <<EOF_CONF
[global]
fsid = $FSID
mon host = v1:127.0.0.1:$MON_PORT
mon initial members = a
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
run dir = $DIR/run
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
log file = $DIR/log/\$name.log

[mon.a]
mon data = $DIR/mon

[osd.0]
osd data = $DIR/osd
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
# Loading the object classes into the monitor at every start costs seconds and is not needed.
osd class update on start = false

[client.rgw]
rgw data = $DIR/rgw
# Without tcp_nodelay the gateway's small responses wait for delayed ACKs: the Ceph suites run
# about three times slower.
rgw frontends = beast endpoint=127.0.0.1:$PORT tcp_nodelay=1
EOF_CONF

ceph_cmd() { timeout "${TIMEOUT:-60}" ceph -c "$CONF" "$@"; }
admin() { timeout 60 radosgw-admin -c "$CONF" "$@" >/dev/null 2>>"$SETUP_LOG"; }

# retry TRIES PAUSE CMD...: runs CMD until it succeeds, at most TRIES times.
retry() {
  local tries=$1 pause=$2 n
  shift 2
  for ((n = 1; n <= tries; n++)); do
    "$@" && return 0
    sleep "$pause"
  done
  return 1
}

echo "ceph-up: monitor on 127.0.0.1:$MON_PORT" >>"$SETUP_LOG"
ceph-authtool --create-keyring "$DIR/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
monmaptool --create --addv a "[v1:127.0.0.1:$MON_PORT]" --fsid "$FSID" "$DIR/monmap" >/dev/null
ceph-mon -c "$CONF" -i a --mkfs --monmap "$DIR/monmap" --keyring "$DIR/mon.keyring" 2>>"$SETUP_LOG"
ceph-mon -c "$CONF" -i a 2>>"$SETUP_LOG"

# The monitor must answer before the first `osd create`.
TIMEOUT=10 retry 60 1 ceph_cmd mon stat >/dev/null 2>&1 || {
  echo "ceph-up: the monitor did not answer; see $DIR/log" >&2
  exit 1
}

echo "ceph-up: osd.0 (memstore)" >>"$SETUP_LOG"
retry 3 2 ceph_cmd osd create >/dev/null 2>>"$SETUP_LOG"
# --no-mon-config: without it the OSD first asks the monitor for its configuration, and then
# builds its monitor map from the monitor's addresses alone, without our fsid. Its first command
# (placing itself in the CRUSH map) can leave before the monitor's map arrives, with an all-zero
# fsid, and the monitor refuses it ("wrong fsid"); the OSD then exits. Under load that happened
# in one start out of three. Everything is in our ceph.conf, so there is nothing to ask for.
ceph-osd -c "$CONF" --no-mon-config -i 0 --mkfs >/dev/null 2>>"$SETUP_LOG"
retry 3 2 ceph-osd -c "$CONF" --no-mon-config -i 0 >/dev/null 2>>"$SETUP_LOG"
osd_up() { TIMEOUT=10 ceph_cmd osd stat 2>/dev/null | grep -q '1 up'; }
retry 60 1 osd_up || {
  echo "ceph-up: osd.0 did not come up; see $DIR/log" >&2
  exit 1
}

gateway_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
start_gateway() {
  radosgw -c "$CONF" --no-mon-config -n client.rgw 2>>"$SETUP_LOG"
  retry 90 1 gateway_answers || {
    echo "ceph-up: the gateway did not answer on 127.0.0.1:$PORT; see $DIR/log" >&2
    exit 1
  }
}
stop_gateway() {
  local pid n
  pid=$(cat "$DIR/run/client.rgw.pid")
  kill "$pid"
  for ((n = 0; n < 100; n++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.2
  done
  kill -9 "$pid" 2>/dev/null || true
}

# The first start creates the default zone; the storage classes are added to it and the
# gateway started again, since it reads placement only when it starts.
echo "ceph-up: gateway on 127.0.0.1:$PORT" >>"$SETUP_LOG"
start_gateway
admin user create --uid=snaptier --display-name="snaptier tests" --access-key="$ACCESS_KEY" --secret="$SECRET_KEY"
for class in "${STORAGE_CLASSES[@]}"; do
  admin zonegroup placement add --rgw-zonegroup default --placement-id default-placement --storage-class "$class"
  admin zone placement add --rgw-zone default --placement-id default-placement --storage-class "$class" \
    --data-pool "default.rgw.${class,,}.data"
done
stop_gateway
start_gateway

echo "export AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY AWS_REGION=us-east-1"
echo "export CEPH_S3_ENDPOINT=http://127.0.0.1:$PORT"
