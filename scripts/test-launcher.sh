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
  out="$("$root/agent-relay" --version 2>"$target/launcher-stderr")" || fail "--version failed on the $run run"
  [[ "$out" =~ ^agent-relay\ [^$'\n']+$ ]] || fail "stdout of the $run run is not just the version line: $out"
done
# The run that makes the AOT cache says so on stderr instead of pausing silently.
if compgen -G "$target/agent-relay-cli-*.aot" >/dev/null; then
  grep -q "making the start-up cache" "$target/launcher-stderr" || fail "the cache-making run did not say what it was doing"
fi
rm -f "$target/launcher-stderr"
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
[ "$(flag "" ExitOnOutOfMemoryError)" = true ] || fail "the JVM does not exit on OutOfMemoryError"
[ "$(flag "" ExitOnOutOfMemoryError bench --help)" = true ] || fail "the bench's JVM does not exit on OutOfMemoryError"
[ "$(flag -Xmx32m MaxHeapSize)" = 33554432 ] || fail "-Xmx32m alone does not start (or is not applied)"
# The documented commands run on the launcher's JDK, whatever `java` is on PATH (docs/sdk.md).
# Read whole before matching: with pipefail, grep -q (or awk's exit) quitting at the match could
# SIGPIPE the program while it still prints, failing the pipeline though the version was right.
settings="$("$root/agent-relay" java -XshowSettings:properties -version 2>&1)"
major="$(awk -F'= ' '/java.specification.version/ {print $2; exit}' <<<"$settings")"
[ "${major%%.*}" -ge 21 ] || fail "'agent-relay java' runs JDK $major, not the launcher's JDK 21+"
maven="$("$root/agent-relay" mvn -v 2>&1)"
grep -q "Java version: \(2[1-9]\|[3-9][0-9]\)" <<<"$maven" || fail "'agent-relay mvn' does not run Maven on a JDK 21+"
# docs/sdk.md's example, as written there, against a relay the launcher starts.
data="$(mktemp -d "${TMPDIR:-/tmp}/agent-relay-docs.XXXXXX")"
"$root/agent-relay" serve --port 0 --db "$data/relay.db" >"$data/serve.log" 2>&1 &
serve=$!
trap 'kill "$serve" 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 300); do
  url="$(sed -n 's/^agent-relay listening on \(http:[^ ]*\).*/\1/p' "$data/serve.log")"
  [ -n "$url" ] && break
  kill -0 "$serve" 2>/dev/null || fail "the relay did not start: $(cat "$data/serve.log")"
  sleep 0.1
done
[ -n "$url" ] || fail "the relay did not say where it listens"
(cd "$root" && AGENT_RELAY_URL="$url" ./agent-relay java -cp relay-cli/target/agent-relay.jar relay-client/examples/TwoAgents.java) \
  >"$data/example.log" 2>&1 || fail "the SDK example as documented failed: $(cat "$data/example.log")"
grep -q "alice is offline" "$data/example.log" || fail "the SDK example did not run to its end: $(cat "$data/example.log")"
echo "test-launcher: ok" >&2
