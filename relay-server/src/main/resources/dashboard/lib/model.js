// What the page knows about the relay: loaded once from the API, then kept current by the live
// stream. Views read it and subscribe to changes; changes are announced at most once per frame,
// so a burst of events costs one render, not one per event.
import { api } from './api.js';

export const MESSAGE_CAP = 2000;
export const EVENT_CAP = 1000;
export const COMMAND_CAP = 500;
const MINUTE = 60_000;

export class Model {
  constructor() {
    this.agents = new Map();
    this.messages = [];             // newest first, at most MESSAGE_CAP
    this.messageById = new Map();
    this.tasks = new Map();
    this.orchestrators = new Map();
    this.commands = new Map();      // id -> command, the newest COMMAND_CAP
    this.events = [];               // newest first, at most EVENT_CAP
    this.perMinute = new Map();     // minute (epoch ms / 60000) -> messages sent
    this.clockOffset = 0;           // relay clock - browser clock, ms
    this.eventCount = 0;
    this.messagesSinceLoad = 0;     // sent (+) and deleted (-) since the snapshot, for the total
    this.listeners = new Set();
    this.pending = new Set();
    this.scheduled = false;
  }

  /** The relay's "now" (its clock may differ from the browser's). */
  now() {
    return Date.now() + this.clockOffset;
  }

  /**
   * Calls listener(changedKinds: Set<'agents'|'messages'|'tasks'|'orchestrators'|'commands'|'config'|'policies'|'channels'|'pairs'|'connectors'|'events'|'reads'|'clock'>);
   * returns an unsubscribe function.
   */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(kind) {
    this.pending.add(kind);
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      const kinds = this.pending;
      this.pending = new Set();
      this.listeners.forEach((listener) => listener(kinds));
    };
    // A hidden tab gets no animation frames: fall back to a timer there.
    if (document.hidden) setTimeout(flush, 250); else requestAnimationFrame(flush);
  }

  /** Loads the snapshot; returns the event id to resume the live stream from. */
  async load() {
    // The resume point first: events after it are applied again on top of the snapshot, which is harmless.
    const head = await api('/api/events?limit=1');
    const [stats, agents, messages, tasks, activity, orchestrators, commands] = await Promise.all([
      api('/api/stats'), api('/api/agents'), api('/api/messages?limit=500'), api('/api/tasks?limit=500'),
      api('/api/activity?limit=200'), api('/api/orchestrators'), api(`/api/commands?limit=${COMMAND_CAP}`)]);
    this.clockOffset = stats.now - Date.now();
    this.stats = { ...stats, lastMessageIdAtLoad: messages.messages.length ? messages.messages[0].id : 0 };
    this.agents = new Map(agents.agents.map((a) => [a.id, a]));
    this.messages = [];
    this.messageById = new Map();
    this.perMinute = new Map();
    this.messagesSinceLoad = 0;
    for (const m of messages.messages) this.addMessage(m, false);
    this.tasks = new Map(tasks.tasks.map((t) => [t.id, t]));
    this.orchestrators = new Map(orchestrators.map((o) => [o.id, o]));
    this.commands = new Map(commands.map((c) => [c.id, c]));
    this.events = activity.activity.slice();
    ['agents', 'messages', 'tasks', 'orchestrators', 'commands', 'events', 'clock'].forEach((k) => this.changed(k));
    return head.lastEventId;
  }

  addMessage(message, newest = true) {
    if (this.messageById.has(message.id)) {
      this.replaceMessage(message);
      return;
    }
    this.messageById.set(message.id, message);
    if (newest) {
      this.messages.unshift(message);
      if (this.stats && message.id > this.stats.lastMessageIdAtLoad) this.messagesSinceLoad += 1;
    } else {
      this.messages.push(message);
    }
    const minute = Math.floor(message.createdAt / MINUTE);
    this.perMinute.set(minute, (this.perMinute.get(minute) || 0) + 1);
    while (this.messages.length > MESSAGE_CAP) this.messageById.delete(this.messages.pop().id);
  }

  replaceMessage(message) {
    const old = this.messageById.get(message.id);
    if (!old) return;
    Object.assign(old, message);
  }

  /** Applies events from the live stream, oldest first. */
  apply(events) {
    for (const event of events) {
      this.eventCount += 1;
      if (!this.events.length || this.events[0].id < event.id) {
        this.events.unshift(event);
        if (this.events.length > EVENT_CAP) this.events.length = EVENT_CAP;
        this.changed('events');
      }
      const data = event.data || {};
      switch (event.type) {
        case 'agent.registered':
        case 'agent.status':
          this.agents.set(data.id, data);
          this.changed('agents');
          break;
        case 'agent.removed':
          this.agents.delete(data.agentId);
          this.changed('agents');
          break;
        case 'message.new':
        case 'message.queued':
          // A queued policy:/pool: message arrives again as message.new once delivered: same id.
          this.addMessage(data);
          this.changed('messages');
          break;
        case 'message.expired':
        case 'message.claimed':
          this.replaceMessage(data);
          this.changed('messages');
          break;
        case 'message.claim_released': {
          const m = this.messageById.get(data.messageId);
          if (m) Object.assign(m, { claimedBy: null, claimedAt: null, claimExpiresAt: null });
          this.changed('messages');
          break;
        }
        case 'message.deleted': {
          this.messagesSinceLoad -= 1;
          if (this.messageById.delete(data.messageId)) {
            this.messages = this.messages.filter((m) => m.id !== data.messageId);
          }
          this.changed('messages');
          break;
        }
        case 'message.read':
          this.changed('reads');
          break;
        case 'channel.binding.changed':
        case 'channel.binding.removed':
          // The channels view asks the relay for channels and bindings (channel.activity needs
          // nothing more: the view reads it from this.events).
          this.changed('channels');
          break;
        case 'config.changed':
          // The config view asks the relay for what it shows; the model only says that it changed.
          this.changed('config');
          break;
        case 'task.created':
        case 'task.updated':
          if (data.task) this.tasks.set(data.task.id, data.task);
          this.changed('tasks');
          break;
        case 'orchestrator.status':
          this.orchestrators.set(data.id, data);
          this.changed('orchestrators');
          break;
        case 'orchestrator.removed':
          this.orchestrators.delete(data.orchestratorId);
          this.changed('orchestrators');
          break;
        case 'policy.state.changed':
          // The policies view asks the relay for what it shows; the model only says that it changed.
          this.changed('policies');
          break;
        case 'command.created':
        case 'command.updated':
          this.addCommand(data);
          this.changed('commands');
          break;
        case 'pair.created':
        case 'pair.updated':
          // The pairs view asks the relay for what it shows; the model only says that they changed.
          this.changed('pairs');
          break;
        case 'connector.registered':
        case 'connector.config.changed':
        case 'connector.action':
          // Likewise the connectors view.
          this.changed('connectors');
          break;
        default:
          break;
      }
    }
    const last = events[events.length - 1];
    if (last && last.ts > this.now()) {
      this.clockOffset = last.ts - Date.now();
      this.changed('clock');
    }
  }

  /** Keeps a command as it is now; beyond COMMAND_CAP the oldest (lowest id) go. */
  addCommand(command) {
    this.commands.set(command.id, command);
    if (this.commands.size > COMMAND_CAP) {
      const oldest = Math.min(...this.commands.keys());
      this.commands.delete(oldest);
    }
  }

  /** How many messages the relay holds: its count at load, plus those sent, minus those deleted since. */
  messageTotal() {
    return (this.stats ? this.stats.messages : 0) + this.messagesSinceLoad;
  }

  /** Messages per minute for the last `minutes` minutes, oldest first, ending at the relay's now. */
  messagesPerMinute(minutes = 60) {
    const end = Math.floor(this.now() / MINUTE);
    const counts = [];
    for (let m = end - minutes + 1; m <= end; m += 1) counts.push({ minute: m * MINUTE, count: this.perMinute.get(m) || 0 });
    return counts;
  }
}
