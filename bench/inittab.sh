#!/bin/bash
# Times hydra on a large inittab: `init --check`, boot to a first answer,
# and `telinit q`, with N entries of unique ids (default 79000: just under
# the 1 MiB limit). Runs init as PID 1 of a PID namespace (needs root).
# Usage: bench/inittab.sh [N] [BUILD]
set -u
cd "$(dirname "$0")/.."
entries=${1:-79000}
build=${2:-build}
work=$(mktemp -d)
trap '[ -z "$parent" ] || { kill -KILL $parent; wait $parent; } 2>/dev/null; rm -rf "$work"' EXIT
parent=

{
	printf 'id:2:initdefault:\nr1:2:respawn:/bin/sleep 1000\n'
	awk -v n="$entries" 'BEGIN { for (i = 0; i < n; i++) printf "%x::off:x\n", 80000 + i }'
} >"$work/inittab"
echo "$entries entries, $(stat -c %s "$work/inittab") bytes"

ms() { echo $(( $(date +%s%N) / 1000000 )); }

start=$(ms)
"$build/init" --check "$work/inittab" >/dev/null
echo "init --check: $(( $(ms) - start )) ms"

start=$(ms)
unshare --pid --fork --mount --mount-proc --kill-child \
	env -i CONSOLE=/dev/null "$build/init" -c "$work/sock" -f "$work/inittab" >/dev/null 2>&1 </dev/null &
parent=$!
until "$build/runlevel" -c "$work/sock" >/dev/null 2>&1; do sleep 0.01; done
echo "boot to the first answer: $(( $(ms) - start )) ms"

start=$(ms)
"$build/telinit" -c "$work/sock" status >"$work/status"
echo "telinit status: $(( $(ms) - start )) ms, $(wc -l <"$work/status") lines"

sed -i 's/^r1:2:respawn:.*/r1:2:respawn:\/bin\/sleep 999/' "$work/inittab"
start=$(ms)
"$build/telinit" -c "$work/sock" q >/dev/null
echo "telinit q: $(( $(ms) - start )) ms"
