#!/usr/bin/env bash
# Tests the launcher itself (./agent-relay) against the jar the build just made: its default JVM
# heap option and AGENT_RELAY_JAVA_OPTS. run-tests runs this after the Maven build.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
fail() { echo "test-launcher: FAIL: $*" >&2; exit 1; }
# The value of one JVM flag as a launch with AGENT_RELAY_JAVA_OPTS=$1 ends up with.
flag() {
  AGENT_RELAY_JAVA_OPTS="$1 -XX:+PrintFlagsFinal" "$root/agent-relay" --version | awk -v f="$2" '$2 == f { print $4 }'
}
[ "$(flag "" InitialHeapSize)" = 67108864 ] || fail "the default initial heap is not 64 MB"
[ "$(flag -Xms128m InitialHeapSize)" = 134217728 ] || fail "an -Xms in AGENT_RELAY_JAVA_OPTS does not win"
[ "$(flag -Xmx32m MaxHeapSize)" = 33554432 ] || fail "-Xmx32m alone does not start (or is not applied)"
"$root/agent-relay" --version >/dev/null || fail "agent-relay --version failed"
echo "test-launcher: ok" >&2
