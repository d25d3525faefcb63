#!/usr/bin/env bash
# Claude Code SessionEnd hook: marks this session's agent offline on the Agent Relay, so other
# agents stop sending it work. Silent, and never fails the session. (The MCP server does the same
# when Claude Code closes it; this covers sessions where it did not run.)
set -uo pipefail
export AGENT_RELAY_RIG="${AGENT_RELAY_RIG:-claude}"
relay="${AGENT_RELAY_BIN:-agent-relay}"
cat >/dev/null
"$relay" heartbeat --status offline >/dev/null 2>&1 || true
exit 0
