#!/usr/bin/env bash
# Stops the test cluster scripts/ceph-up.sh started in DIR (SIGTERM, then SIGKILL to what is
# left after a few seconds) and deletes DIR. Safe on a half-started or already stopped cluster.
set -uo pipefail
DIR=${1:?usage: scripts/ceph-down.sh DIR}
[[ -d $DIR ]] || exit 0

pids=()
for f in "$DIR"/run/*.pid; do
  [[ -f $f ]] && pids+=("$(cat "$f")")
done
if ((${#pids[@]})); then
  kill "${pids[@]}" 2>/dev/null
  for ((n = 0; n < 25; n++)); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.2
  done
  kill -9 "${pids[@]}" 2>/dev/null
fi
rm -rf "$DIR"
