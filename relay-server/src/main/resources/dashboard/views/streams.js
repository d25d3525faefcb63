// Streams: who is connected over SSE and WebSocket now, and recent slow-consumer cuts
// (GET /api/streams). Streams open and close without log events, so this view asks the relay when
// it opens, when agents come and go, and on demand.
import { h, clear, time, emptyState } from '../lib/dom.js';

function describe(filter) {
  if (!filter) return 'everything';
  const parts = Object.entries(filter).filter(([, v]) => v && (!Array.isArray(v) || v.length))
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return parts.length ? parts.join(' · ') : 'everything';
}

function table(columns, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))), h('tbody', {}, rows));
}

export default {
  id: 'streams',
  title: 'Streams',
  mount(root, { model, api }) {
    const openBox = h('div');
    const cutBox = h('div');
    const status = h('span.status', { 'aria-live': 'polite' });
    const refresh = h('button', { type: 'button', text: 'Refresh' });
    root.append(h('h1', { text: 'Streams' }), h('div.toolbar', {}, refresh, status),
      h('section.panel', {}, h('h2', { text: 'Connected now' }), openBox),
      h('section.panel', {}, h('h2', { text: 'Recent slow-consumer cuts' }), cutBox));

    async function load() {
      let answer;
      try {
        answer = await api('/api/streams');
        status.textContent = '';
      } catch (e) {
        status.textContent = e.message;
        status.className = 'status error';
        return;
      }
      clear(openBox).append(answer.streams.length
        ? table(['#', 'transport', 'client', 'subscribed to', 'opened', 'last event sent'], answer.streams.map((s) => h('tr', { 'data-stream': s.id },
          h('td', { text: s.id }), h('td', { text: s.transport }), h('td', { text: s.remote || '—' }), h('td', { text: describe(s.filter) }),
          h('td', {}, time(s.openedAt, model)), h('td', { text: s.lastEventId }))))
        : emptyState('No open streams.'));
      clear(cutBox).append(answer.cuts.length
        ? table(['#', 'transport', 'client', 'subscribed to', 'cut', 'last event sent'], answer.cuts.map((c) => h('tr', {},
          h('td', { text: c.id }), h('td', { text: c.transport }), h('td', { text: c.remote || '—' }), h('td', { text: describe(c.filter) }),
          h('td', {}, time(c.cutAt, model)), h('td', { text: c.lastEventId }))))
        : emptyState('No stream was cut for reading too slowly.'));
    }
    refresh.addEventListener('click', load);
    load();
    let again = null;
    return {
      update(kinds) {
        if (kinds.has('agents') && !again) again = setTimeout(() => { again = null; load(); }, 2000);
      },
      unmount() { clearTimeout(again); },
    };
  },
};
