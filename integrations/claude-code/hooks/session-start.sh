#!/usr/bin/env bash
# Claude Code SessionStart hook: registers this session on the Agent Relay and tells Claude its
# agent id. Whatever this prints becomes context for the model. It never blocks the session: on any
# failure it explains in the context and exits 0.
#
# The id is the one `agent-relay mcp` computes for the same session ({hostname}-claude-{project}-
# {session-hash}, the session being the Claude Code process), unless AGENT_RELAY_AGENT_ID is set.
# Relay address and token: AGENT_RELAY_URL, AGENT_RELAY_TOKEN. The agent-relay command: on PATH,
# or AGENT_RELAY_BIN.
set -uo pipefail
export AGENT_RELAY_RIG="${AGENT_RELAY_RIG:-claude}"
relay="${AGENT_RELAY_BIN:-agent-relay}"
url="${AGENT_RELAY_URL:-http://127.0.0.1:4850}"

# The hook input (session_id, cwd, source) is not needed: the id comes from the process tree, so
# that the MCP server of this session, which never sees the input, arrives at the same one.
cat >/dev/null

if ! command -v "$relay" >/dev/null 2>&1; then
  echo "Agent Relay: the 'agent-relay' command was not found (put it on PATH or set AGENT_RELAY_BIN); relay tools are unavailable in this session."
  exit 0
fi
if ! id="$("$relay" id 2>/dev/null)"; then
  echo "Agent Relay: 'agent-relay id' failed; relay tools may not work in this session."
  exit 0
fi
# --if-absent: when the MCP server registered first, keep its card (name, tags, capabilities).
problem="$("$relay" register --if-absent 2>&1 >/dev/null)"
status=$?
if [ "$status" -eq 3 ]; then
  echo "Agent Relay: your agent id would be $id, but the relay at $url did not answer. Start it with 'agent-relay serve' (or set AGENT_RELAY_URL to where it runs); until then the relay tools will report errors."
  exit 0
elif [ "$status" -ne 0 ]; then
  # The command's own explanation: a missing or wrong AGENT_RELAY_TOKEN names the variable and the relay.
  echo "Agent Relay: your agent id would be $id, but registering it failed: ${problem#agent-relay: } Until this is fixed the relay tools will report errors."
  exit 0
fi
cat <<CONTEXT
Agent Relay: your agent id is $id. Other agents (Claude Code and Codex sessions, scripts, CI) reach you by that id on the relay at $url, as well as by your tags and capabilities.
Use the agent-relay MCP tools: check_inbox now and between tasks; wait_for_message when you are idle or waiting for an answer; send_message to hand work to an agent id, tag:NAME, cap:NAME or broadcast; reply to answer in the same thread; claim before you act on a claimable message, so that only one agent does it.
CONTEXT
exit 0
