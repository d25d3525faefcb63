// The relay's live event stream (GET /api/events/stream, every event), read with fetch so the token
// travels in a header, not the URL. Resumes from the last event id after any drop, so nothing is
// missed: the relay replays from its log, then goes live.
import { authHeaders, unauthorized, ApiError } from './api.js';

export class LiveStream {
  /**
   * @param onEvents called with an array of event envelopes ({id, type, ts, scope, data}), in order
   * @param onState  called with 'connecting' | 'live' | 'reconnecting' | 'stopped'
   */
  constructor({ onEvents, onState }) {
    this.onEvents = onEvents;
    this.onState = onState;
    this.lastEventId = 0;
    this.stopped = true;
    this.controller = null;
    this.failures = 0;
    this.generation = 0; // a stopped loop must not carry on after a later start()
  }

  start(lastEventId) {
    this.lastEventId = lastEventId;
    this.stopped = false;
    this.generation += 1;
    this.loop(this.generation);
  }

  stop() {
    this.stopped = true;
    this.generation += 1;
    if (this.controller) this.controller.abort();
    this.onState('stopped');
  }

  async loop(generation) {
    const current = () => !this.stopped && generation === this.generation;
    this.onState('connecting');
    while (current()) {
      try {
        await this.connectOnce(current);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401 && current()) {
          this.stop();
          unauthorized(e);
          return;
        }
      }
      if (!current()) return;
      this.onState('reconnecting');
      this.failures += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** Math.min(this.failures, 5))));
    }
  }

  async connectOnce(current) {
    this.controller = new AbortController();
    const response = await fetch('/api/events/stream', {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': String(this.lastEventId), ...authHeaders() },
      signal: this.controller.signal,
      cache: 'no-store',
    });
    if (!response.ok) {
      let reason = `HTTP ${response.status}`;
      try {
        reason = (await response.json()).error || reason;
      } catch (e) { /* not JSON */ }
      throw new ApiError(response.status, reason, null);
    }
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (!current()) return;
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split('\n\n');
      buffer = frames.pop();
      const events = [];
      for (const frame of frames) {
        if (frame.startsWith(': connected')) {
          this.failures = 0;
          this.onState('live');
        }
        const event = parseFrame(frame);
        if (event) {
          events.push(event);
          this.lastEventId = event.id;
        }
      }
      if (events.length) this.onEvents(events);
    }
  }
}

/** One SSE frame (id:, event:, data: lines; ':' comments) to the event envelope in its data, or null. */
function parseFrame(frame) {
  let data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5);
  }
  if (!data) return null;
  try {
    return JSON.parse(data);
  } catch (e) {
    return null;
  }
}
