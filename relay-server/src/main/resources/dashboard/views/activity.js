// Activity (the event log, newest first, live) and integrations (callback deliveries, failures first).
import { h, clear, time, emptyState, VirtualList, badge } from '../lib/dom.js';
import { enc } from '../lib/api.js';

/** One line saying what an event was. */
export function eventSummary(e) {
  const d = e.data || {};
  switch (e.type) {
    case 'agent.registered': return `${d.id} registered (${d.kind})`;
    case 'agent.status': return `${d.id} is ${d.status}`;
    case 'agent.removed': return `${d.agentId} removed (${d.reason})`;
    case 'message.new': return `#${d.id} ${d.from} → ${d.to}: ${(d.subject || d.body || '').slice(0, 80)}`;
    case 'message.read': return `${d.agentId} read ${(d.messageIds || []).map((i) => `#${i}`).join(', ')}`;
    case 'message.claimed': return `#${d.id} claimed by ${d.claimedBy}`;
    case 'message.claim_released': return `#${d.messageId} released by ${d.agentId} (${d.reason})`;
    case 'message.deleted': return `#${d.messageId} deleted`;
    case 'task.created': return `task ${d.task ? d.task.id : ''} created: ${d.task ? d.task.title : ''}`;
    case 'task.updated': return `task ${d.task ? d.task.id : ''} ${d.from || ''} → ${d.to}${d.agentId ? ` by ${d.agentId}` : ''}`;
    case 'config.changed': return `${d.namespace}:${d.key} is at version ${d.version}`;
    case 'activity.reported': return `${d.agentId || d.clientId || ''} ${d.type || ''} ${d.summary || ''}`;
    case 'orchestrator.status': return `orchestrator ${d.id} (${d.hostname}) is ${d.status}, ${(d.agents || []).length} session(s)`;
    case 'orchestrator.removed': return `orchestrator ${d.orchestratorId} removed`;
    case 'command.created': return `command #${d.id} ${d.type} for ${d.target}`;
    case 'command.updated': return `command #${d.id} ${d.type} is ${d.status}${d.error ? `: ${d.error}` : ''}`;
    case 'pair.created': return `pair #${d.id} ${d.from} invited ${d.to}${d.topic ? `: ${d.topic}` : ''}`;
    case 'pair.updated': return `pair #${d.id} ${d.from} ↔ ${d.to} is ${d.status}${d.closedBy ? ` (by ${d.closedBy})` : ''}`;
    default: return '';
  }
}

const ORDER = { failed: 0, pending: 1, delivered: 2 };

export default {
  id: 'activity',
  title: 'Activity',
  mount(root, { model, api }) {
    const filter = h('input', { type: 'search', placeholder: 'filter: type or text', 'aria-label': 'filter activity' });
    const list = new VirtualList({
      rowHeight: 34,
      label: 'activity',
      render: (e) => h('div.row', {}, h('span.col-id', { text: e.id }), time(e.ts, model), h('code', { text: e.type }),
        h('span.grow', { text: eventSummary(e) })),
      onOpen: () => {},
    });
    const integrations = h('div');
    root.append(h('h1', { text: 'Activity' }),
      h('section.panel', {}, h('div.toolbar', {}, filter), list.el),
      h('section.panel', {}, h('h2', { text: 'Integrations: callback deliveries, failures first' }), integrations));

    function draw() {
      const q = filter.value.trim().toLowerCase();
      const items = q ? model.events.filter((e) => e.type.includes(q) || eventSummary(e).toLowerCase().includes(q))
        : model.events;
      list.setItems(items);
    }
    filter.addEventListener('input', draw);

    let loading = false;
    async function loadIntegrations() {
      if (loading) return;
      loading = true;
      try {
        const answer = await api('/api/integrations');
        clear(integrations);
        if (!answer.integrations.length) {
          integrations.append(emptyState('No integrations are configured (AGENT_RELAY_INTEGRATIONS).'));
          return;
        }
        for (const integration of answer.integrations) {
          const deliveries = integration.callbackUrl
            ? (await api(`/api/integrations/${enc(integration.name)}/deliveries?limit=200`)).deliveries : [];
          deliveries.sort((a, b) => (ORDER[a.status] - ORDER[b.status]) || (b.id - a.id));
          integrations.append(h('h3', {}, integration.name, ' ', h('small', {
            text: `targets ${integration.targets.join(', ') || '—'} · callback ${integration.callbackUrl || 'none'}` })));
          if (!deliveries.length) {
            integrations.append(emptyState('No callback deliveries.'));
            continue;
          }
          integrations.append(h('table', {}, h('thead', {}, h('tr', {}, ['delivery', 'task', 'status', 'attempts', 'last answer', 'updated']
            .map((c) => h('th', { text: c })))), h('tbody', {}, deliveries.map((d) => h('tr', {},
            h('td', { text: d.id }), h('td', {}, h('a', { href: `#/tasks/${d.taskId}`, text: `task ${d.taskId}` })),
            h('td', {}, badge(d.status)), h('td', { text: d.attempts }),
            h('td', { text: d.lastError || (d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—') }),
            h('td', {}, time(d.updatedAt, model)))))));
        }
      } catch (e) {
        clear(integrations).append(h('p.status.error', { text: e.message }));
      } finally {
        loading = false;
      }
    }

    draw();
    loadIntegrations();
    let again = null;
    return {
      update(kinds) {
        if (kinds.has('events')) draw();
        if (kinds.has('tasks') && !again) again = setTimeout(() => { again = null; loadIntegrations(); }, 1000);
      },
      unmount() { clearTimeout(again); },
    };
  },
};
