#!/usr/bin/env bash
# Sourced by the launcher and the test script: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME, `java` on PATH, then the JDKs installed under the usual system folders.
# Prints a message and returns 1 when none is found.

agent_relay_java_major() {
  # The major version of the JDK whose java binary is $1, e.g. 17, 21, 25. Reads the JDK's
  # `release` file (no JVM start); asks the binary only when that file is missing.
  local home version
  home="$(dirname "$(dirname "$1")")"
  if [ -f "$home/release" ]; then
    version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  fi
  if [ -z "${version:-}" ]; then
    version="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  fi
  version="${version#1.}"   # 1.8 -> 8
  echo "${version%%[.+-]*}"
}

agent_relay_find_jdk() {
  local min=21 candidate home major
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(agent_relay_java_major "$candidate/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$min" ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      # Maven's own Guava warns about sun.misc.Unsafe on JDK 24+; allow it there to keep logs readable.
      if [ "$major" -ge 24 ] && [[ "${MAVEN_OPTS:-}" != *sun-misc-unsafe* ]]; then
        export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      fi
      return 0
    fi
  done
  echo "agent-relay: no JDK $min or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm, /opt)." >&2
  echo "agent-relay: install one (e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
