// Tasks: by status, a task's history and callback deliveries, claim and status changes.
import { h, clear, time, emptyState, VirtualList, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const STATUSES = ['open', 'claimed', 'in_progress', 'blocked', 'done', 'failed', 'canceled'];
const signature = (t) => [t.status, t.claimedBy, t.progress, t.result, t.occurrenceCount, t.updatedAt].join('|');

export default {
  id: 'tasks',
  title: 'Tasks',
  mount(root, { model, api, arg, go }) {
    let status = '';
    let selected = arg ? Number(arg) : null;
    const chips = h('div.chips', { role: 'group', 'aria-label': 'status' });
    const detail = h('aside.detail', { 'aria-label': 'task' });
    const empty = h('div');
    const list = new VirtualList({
      rowHeight: 34,
      label: 'tasks',
      render: (t) => h('div.row', { 'data-task': t.id }, h('span.col-id', { text: `#${t.id}` }), badge(t.status),
        badge(t.severity), h('strong.grow', { text: t.title }), h('span.muted', { text: t.claimedBy || t.target }),
        time(t.updatedAt, model)),
      onOpen: (t) => go(`tasks/${t.id}`),
    });
    root.append(h('h1', { text: 'Tasks' }), h('div.split', {}, h('section.panel', {}, chips, empty, list.el), detail));

    function draw() {
      const all = [...model.tasks.values()];
      const counts = {};
      all.forEach((t) => { counts[t.status] = (counts[t.status] || 0) + 1; });
      clear(chips).append(h('button.chip', { type: 'button', 'aria-pressed': String(!status), text: `all ${all.length}`,
        onclick: () => { status = ''; draw(); } }),
      ...STATUSES.map((s) => h('button.chip', { type: 'button', 'aria-pressed': String(status === s), text: `${s} ${counts[s] || 0}`,
        onclick: () => { status = s; draw(); } })));
      const items = all.filter((t) => !status || t.status === status).sort((a, b) => b.id - a.id);
      clear(empty);
      if (!items.length) {
        empty.append(emptyState(all.length ? `No ${status} tasks.` : 'No tasks yet. Integrations raise them with POST /api/integrations/events.'));
      }
      list.setItems(items);
    }

    // The form and its result stay put while the task's details redraw around them (a live update
    // must not reset what the user is typing, or swap a button under their click).
    const as = h('input', { name: 'as', value: localStorage.getItem('agent-relay.as') || '', placeholder: 'agent id', 'aria-label': 'act as agent' });
    const next = h('select', { name: 'status', 'aria-label': 'new status' }, STATUSES.filter((s) => s !== 'open').map((s) => h('option', { value: s, text: s })));
    const progress = h('input', { name: 'progress', placeholder: 'progress (optional)', 'aria-label': 'progress' });
    const result = h('span.status', { 'aria-live': 'polite' });
    const remember = () => localStorage.setItem('agent-relay.as', as.value.trim());
    const claim = () => attempt(result, () => {
      remember();
      return api(`/api/tasks/${selected}/claim`, { method: 'POST', body: { agentId: as.value.trim() } });
    }, 'claimed');
    const form = h('form.edit', {}, h('label', {}, 'As ', as), h('button', { type: 'button', text: 'Claim', onclick: claim }),
      next, progress, h('button', { type: 'submit', text: 'Set status' }));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      remember();
      const body = { agentId: as.value.trim(), status: next.value };
      if (progress.value.trim()) body.progress = progress.value.trim();
      attempt(result, () => api(`/api/tasks/${selected}/status`, { method: 'PATCH', body }), `now ${next.value}`);
    });
    const info = h('div');
    const history = h('div');
    const controls = h('div', {}, form, result);

    let detailToken = 0;
    let shown = null; // the task as last drawn
    async function drawDetail() {
      const mine = ++detailToken;
      if (!selected) {
        shown = null;
        clear(detail).append(emptyState('Select a task (Enter or click) for its history and callbacks.'));
        return;
      }
      let task;
      let deliveries = [];
      try {
        task = await api(`/api/tasks/${selected}`);
        const integrations = await api('/api/integrations');
        const integration = integrations.integrations.find((i) => i.name === task.integration);
        if (integration && integration.callbackUrl) {
          deliveries = (await api(`/api/integrations/${enc(task.integration)}/deliveries?limit=200`)).deliveries
            .filter((d) => d.taskId === task.id);
        }
      } catch (e) {
        if (mine === detailToken) clear(detail).append(h('p.status.error', { text: `Task #${selected}: ${e.message}` }));
        return;
      }
      if (mine !== detailToken) return;
      if (!shown || shown.id !== task.id) result.textContent = '';
      shown = task;
      clear(info).append(h('h2', { text: `#${task.id} ${task.title}` }),
        h('p', {}, badge(task.status), ' ', badge(task.severity), ` ${task.integration} → ${task.target}`,
          task.claimedBy ? ` · held by ${task.claimedBy}` : ''),
        task.body ? h('pre.body', { text: task.body }) : null,
        h('dl', {}, [['occurrences', task.occurrenceCount], ['progress', task.progress || '—'], ['result', task.result || '—'],
          ['created', time(task.createdAt, model)], ['updated', time(task.updatedAt, model)]]
          .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v ?? '—')])));
      clear(history).append(h('h3', { text: 'History' }),
        h('ol.feed', {}, (task.events || []).map((e) => h('li', {}, time(e.at, model), ` ${e.kind} `,
          e.from ? `${e.from} → ${e.to}` : e.to || '', e.agentId ? ` by ${e.agentId}` : ''))),
        h('h3', { text: 'Callback deliveries' }),
        deliveries.length ? h('ol.feed', {}, deliveries.map((d) => h('li', {}, badge(d.status), ` attempt ${d.attempts} `,
          d.lastError || (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : ''), ' ', time(d.updatedAt, model))))
          : emptyState('No callback deliveries for this task.'));
      if (!detail.contains(info)) clear(detail).append(info, controls, history);
    }

    draw();
    drawDetail();
    return {
      route(next) { selected = next ? Number(next) : null; drawDetail(); },
      update(kinds) {
        if (!kinds.has('tasks')) return;
        draw();
        const now = model.tasks.get(selected);
        if (now && shown && signature(now) !== signature(shown)) drawDetail();
      },
    };
  },
};
