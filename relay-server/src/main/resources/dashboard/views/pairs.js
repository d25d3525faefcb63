// Pairs: agents working two by two. Open pairs (pending invitations, with when they expire, and
// active pairs) and recent closed ones (ended, rejected, expired, with who closed them and why);
// a pair's card and its thread (the invitation and every kind:"pair" message) beside them.
// Read-only (agents move pairs with `agent-relay pairs ...` or the API); every pair.created /
// pair.updated event redraws, and a new message redraws the selected pair's thread.
// Route: #/pairs/<id>.
import { h, clear, time, emptyState, badge } from '../lib/dom.js';

const LISTED = 100;
const PREVIEW = 120;

function table(columns, rows) {
  return h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))),
    h('tbody', {}, rows));
}

const cut = (text) => (text && text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text || '—');

export default {
  id: 'pairs',
  title: 'Pairs',
  key: 'p',
  mount(root, { model, api, arg, go }) {
    let selectedId = arg ? Number(arg) : null;
    const openBox = h('div');
    const recentBox = h('div');
    const detail = h('aside.detail', { 'aria-label': 'pair' });
    root.append(h('h1', { text: 'Pairs' }), h('div.split', {},
      h('div', {}, h('section.panel', { 'aria-label': 'open pairs' }, h('h2', { text: 'Open' }), openBox),
        h('section.panel', { 'aria-label': 'recent pairs' }, h('h2', { text: 'Recent' }), recentBox)),
      detail));
    let drawing = 0; // a slower, older answer must not overwrite a newer one

    const row = (p, cells) => h('tr', {
      'data-pair': p.id, class: p.id === selectedId ? 'selected' : null, tabindex: 0,
      onclick: () => go(`pairs/${p.id}`),
      onkeydown: (e) => { if (e.key === 'Enter') go(`pairs/${p.id}`); },
    }, h('td.col-id', { text: `#${p.id}` }), h('td', {}, badge(p.status)),
    h('td', { text: `${p.from} → ${p.to}` }), h('td', { text: cut(p.topic) }), ...cells);

    async function draw() {
      const mine = ++drawing;
      let pairs;
      let thread = [];
      try {
        pairs = await api(`/api/pairs?limit=${LISTED}`);
        const selected = pairs.find((p) => p.id === selectedId) || (selectedId ? await api(`/api/pairs/${selectedId}`) : null);
        if (selected && selected.messageId) {
          thread = (await api(`/api/messages/${selected.messageId}/thread`).catch(() => ({ messages: [] }))).messages;
        }
        if (mine !== drawing) return;
        drawLists(pairs);
        drawDetail(selected, thread);
      } catch (e) {
        if (mine === drawing) clear(openBox).append(h('p.status.error', { text: `Pairs: ${e.message}` }));
      }
    }

    function drawLists(pairs) {
      const open = pairs.filter((p) => p.status === 'pending' || p.status === 'active');
      const closed = pairs.filter((p) => p.status !== 'pending' && p.status !== 'active');
      clear(openBox).append(open.length
        ? table(['#', 'status', 'members', 'topic', 'since', 'expires'], open.map((p) => row(p, [
          h('td', {}, time(p.acceptedAt || p.createdAt, model)),
          h('td', {}, p.status === 'pending' ? time(p.expiresAt, model) : '—')])))
        : emptyState('No open pairs. An agent invites another with agent-relay pairs invite AGENT, '
          + 'or POST /api/pairs {"from", "to"}.'));
      clear(recentBox).append(closed.length
        ? table(['#', 'status', 'members', 'topic', 'closed by', 'reason', 'closed'], closed.map((p) => row(p, [
          h('td', { text: p.closedBy || (p.status === 'expired' ? 'relay' : '—') }), h('td', { text: cut(p.reason) }),
          h('td', {}, time(p.closedAt, model))])))
        : emptyState('No closed pairs yet.'));
    }

    function drawDetail(p, thread) {
      clear(detail);
      if (!p) {
        detail.append(emptyState(selectedId ? `Pair #${selectedId} not found.` : 'Select a pair for its card and thread.'));
        return;
      }
      const facts = [['status', badge(p.status)], ['invited by', p.from], ['invitee', p.to], ['topic', p.topic || '—'],
        ['created', time(p.createdAt, model)]];
      if (p.status === 'pending') facts.push(['expires', time(p.expiresAt, model)]);
      if (p.acceptedAt) facts.push(['accepted', time(p.acceptedAt, model)]);
      if (p.closedAt) facts.push(['closed', time(p.closedAt, model)], ['closed by', p.closedBy || 'relay (expired)']);
      if (p.reason) facts.push(['reason', p.reason]);
      detail.append(h('h2', { text: `Pair #${p.id}` }),
        h('dl', {}, facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
        h('h3', { text: 'Thread' }), thread.length
          ? h('ol.feed.thread', {}, thread.map((m) => h('li', { 'data-message': m.id }, time(m.createdAt, model),
            h('strong', { text: ` ${m.from} → ${m.to}` }), m.subject ? ` ${m.subject}: ` : ' ', m.body)))
          : emptyState('No messages kept.'));
    }

    draw();
    return {
      route(next) { selectedId = next ? Number(next) : null; draw(); },
      update(kinds) { if (kinds.has('pairs') || (selectedId && kinds.has('messages'))) draw(); },
    };
  },
};
