#!/usr/bin/env bash
# Tests the launcher itself (./agent-relay) against the jar the build just made: its default JVM
# heap option, AGENT_RELAY_JAVA_OPTS, and its start-up cache. run-tests runs this after the Maven build.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
fail() { echo "test-launcher: FAIL: $*" >&2; exit 1; }
# The value of JVM flag $2 that a launch with AGENT_RELAY_JAVA_OPTS=$1 ends up with.
# The command is the rest of the arguments (default: --version).
flag() {
  local opts="$1" name="$2"
  shift 2
  [ $# -gt 0 ] || set -- --version
  # The JVM prints its flags to stderr (the launcher sends all JVM output there).
  AGENT_RELAY_JAVA_OPTS="$opts -XX:+PrintFlagsFinal" "$root/agent-relay" "$@" 2>&1 | awk -v f="$name" '$2 == f { print $4 }'
}
# The start-up cache. JDK 25+: the first run after a build records an AOT configuration, the
# second turns it into the cache and uses it. Older JDKs: the first run writes a CDS archive. No run
# prints anything but the command's own output on stdout, which `agent-relay mcp` and `--json`
# readers depend on.
target="$root/relay-cli/target"
rm -f "$target"/agent-relay-cli-*
for run in recording cached; do
  out="$("$root/agent-relay" --version 2>/dev/null)" || fail "--version failed on the $run run"
  [[ "$out" =~ ^agent-relay\ [^$'\n']+$ ]] || fail "stdout of the $run run is not just the version line: $out"
done
compgen -G "$target/agent-relay-cli-*.aot" >/dev/null || compgen -G "$target/agent-relay-cli-*.jsa" >/dev/null \
  || fail "no start-up cache after two runs"
if compgen -G "$target/agent-relay-cli-*.aot" >/dev/null; then
  ! compgen -G "$target/agent-relay-cli-*.aotconf" >/dev/null || fail "the AOT recording was kept after the cache was made"
  # AOTMode=on makes a cache the JVM cannot use an error instead of a silent fallback.
  AGENT_RELAY_JAVA_OPTS=-XX:AOTMode=on "$root/agent-relay" --version >/dev/null 2>&1 \
    || fail "the third run cannot use the AOT cache"
fi

# JVM options, checked once a cache exists (a recording run also starts the JVM that writes the
# cache, which would print its own flags).
[ "$(flag "" InitialHeapSize)" = 67108864 ] || fail "the default initial heap is not 64 MB"
[ "$(flag -Xms128m InitialHeapSize)" = 134217728 ] || fail "an -Xms in AGENT_RELAY_JAVA_OPTS does not win"
[ "$(flag "" InitialHeapSize bench --help)" = 536870912 ] || fail "the bench's default initial heap is not 512 MB"
[ "$(flag -Xms128m InitialHeapSize bench --help)" = 134217728 ] || fail "an -Xms in AGENT_RELAY_JAVA_OPTS does not win for the bench"
[ "$(flag -Xmx32m MaxHeapSize)" = 33554432 ] || fail "-Xmx32m alone does not start (or is not applied)"
echo "test-launcher: ok" >&2
