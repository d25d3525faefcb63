// Agents: presence and cards; edit label and tags; restart / shut down (control message); delete.
import { h, clear, time, emptyState, VirtualList, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const words = (text) => text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);

export default {
  id: 'agents',
  title: 'Agents',
  mount(root, { model, api, arg, go }) {
    const filter = h('input', { type: 'search', placeholder: 'filter: id, name, tag, label', 'aria-label': 'filter agents' });
    const status = h('select', { 'aria-label': 'status' },
      ['any status', 'online', 'idle', 'busy', 'stale', 'offline'].map((s) => h('option', { value: s.startsWith('any') ? '' : s, text: s })));
    const count = h('span.muted');
    const detail = h('aside.detail', { 'aria-label': 'agent' });
    const empty = h('div');
    let selectedId = arg;
    const result = h('span.status', { 'aria-live': 'polite' });
    const list = new VirtualList({
      rowHeight: 34,
      label: 'agents',
      render: (a) => h('div.row', { 'data-agent': a.id }, badge(a.status), h('strong.col-name', { text: a.id }),
        h('span.col-kind', { text: a.kind }), h('span.col-label', { text: a.label ? `label:${a.label}` : '' }),
        h('span.grow.muted', { text: [...a.tags.map((t) => `#${t}`), ...a.capabilities.map((c) => `cap:${c}`)].join(' ') }),
        time(a.lastSeenAt, model)),
      onOpen: (a) => go(`agents/${enc(a.id)}`),
    });
    root.append(h('h1', { text: 'Agents' }),
      h('div.split', {}, h('section.panel', {}, h('div.toolbar', {}, filter, status, count), empty, list.el), detail));

    function draw() {
      const q = filter.value.trim().toLowerCase();
      const items = [...model.agents.values()].filter((a) => (!status.value || a.status === status.value)
        && (!q || [a.id, a.name, a.label || '', ...a.tags, ...a.capabilities].some((s) => s.toLowerCase().includes(q))))
        .sort((a, b) => a.id.localeCompare(b.id));
      count.textContent = `${items.length} of ${model.agents.size}`;
      clear(empty);
      if (!model.agents.size) empty.append(emptyState('No agents yet. Agents appear here as they register (POST /api/agents or agent-relay register).'));
      list.setItems(items);
    }

    let shown = null; // the card as last drawn (JSON)
    function drawDetail() {
      clear(detail);
      const a = selectedId && model.agents.get(selectedId);
      shown = a ? JSON.stringify(a) : null;
      if (!a) {
        detail.append(emptyState(selectedId ? `Agent ${selectedId} is not registered (any more).` : 'Select an agent (Enter or click).'));
        return;
      }
      const label = h('input', { name: 'label', value: a.label || '', 'aria-label': 'label' });
      const tags = h('input', { name: 'tags', value: a.tags.join(' '), 'aria-label': 'tags' });
      const save = (e) => {
        e.preventDefault();
        attempt(result, () => api(`/api/agents/${enc(a.id)}`, { method: 'PATCH', body: { label: label.value.trim(), tags: words(tags.value) } }), 'saved');
      };
      const action = (name) => attempt(result, () => api(`/api/agents/${enc(a.id)}/actions`, { method: 'POST', body: { action: name } }),
        `${name} sent`);
      const remove = h('button.danger', { type: 'button', text: 'Delete' });
      remove.addEventListener('click', () => {
        if (remove.dataset.armed) {
          attempt(result, () => api(`/api/agents/${enc(a.id)}`, { method: 'DELETE' }), 'deleted');
        } else {
          remove.dataset.armed = 'yes';
          remove.textContent = 'Really delete?';
        }
      });
      detail.append(h('h2', { text: a.id }),
        h('dl', {}, [['name', a.name], ['status', badge(a.status)], ['kind', a.kind], ['ready', String(a.ready)],
          ['capabilities', a.capabilities.join(', ') || '—'], ['machine', a.machine || '—'], ['epoch', a.epoch],
          ['last seen', time(a.lastSeenAt, model)], ['registered', time(a.createdAt, model)]]
          .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
        h('form.edit', { onsubmit: save }, h('label', {}, 'Label ', label), h('label', {}, 'Tags ', tags),
          h('button', { type: 'submit', text: 'Save' })),
        h('div.actions', {}, h('button', { type: 'button', text: 'Restart', onclick: () => action('restart') }),
          h('button', { type: 'button', text: 'Shut down', onclick: () => action('shutdown') }), remove),
        result,
        h('p', {}, h('a', { href: `#/messages/agent:${enc(a.id)}`, text: 'Messages of this agent' })));
    }

    filter.addEventListener('input', draw);
    status.addEventListener('change', draw);
    draw();
    drawDetail();
    return {
      route(next) { selectedId = next; result.textContent = ''; drawDetail(); },
      update(kinds) {
        if (!kinds.has('agents')) return;
        draw();
        // Keep what the user is typing: redraw the detail only when its agent changed under it.
        // Redraw the card only when it changed, and not under the user's typing (unless it is gone).
        const a = model.agents.get(selectedId);
        const typing = detail.contains(document.activeElement) && document.activeElement.matches('input, select, textarea');
        if (!a ? shown !== null : JSON.stringify(a) !== shown && !typing) drawDetail();
      },
    };
  },
};
