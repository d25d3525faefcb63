// Policies: spawn policies (config entries spawn-policy/<name>) with the state of the agent each
// one manages, live over the stream (policy.state.changed and config.changed redraw it); start,
// stop and restart buttons; a form that creates a policy or edits the one picked with "Edit".
// Route: #/policies/<name> opens that policy in the form.
import { h, clear, time, emptyState, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const words = (text) => text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);

function table(columns, rows) {
  return h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))), h('tbody', {}, rows));
}

export default {
  id: 'policies',
  title: 'Policies',
  key: '9',
  mount(root, { model, api, arg, go }) {
    let editing = arg || null;
    let views = [];
    const listBox = h('div');
    const result = h('span.status', { 'aria-live': 'polite' });
    const formBox = h('aside.detail', { 'aria-label': 'spawn policy' });
    root.append(h('h1', { text: 'Policies' }), h('div.split', {},
      h('section.panel', {}, h('h2', { text: 'Spawn policies' }), listBox), formBox));
    let drawing = 0; // a slower, older answer must not overwrite a newer one

    async function load() {
      const mine = ++drawing;
      let answer;
      try {
        answer = await api('/api/spawn-policies');
      } catch (e) {
        if (mine === drawing) clear(listBox).append(h('p.status.error', { text: `Policies: ${e.message}` }));
        return;
      }
      if (mine !== drawing) return;
      views = answer;
      drawList();
      if (editing && !form.dataset.filled) fill(views.find((v) => v.policy.name === editing));
    }

    function act(name, action) {
      return attempt(result, async () => {
        const answer = await api(`/api/spawn-policy/${enc(name)}/${action}`, { method: 'POST' });
        result.dataset.command = answer.command.id;
        return answer;
      }, `${action} requested`).then((answer) => {
        if (answer) result.textContent = `${action} requested: command #${answer.command.id} (${answer.command.type})`;
      });
    }

    function drawList() {
      clear(listBox).append(views.length
        ? table(['status', 'name', 'provider', 'orchestrator', 'agent', 'restarts', 'failures', 'last error', 'updated', ''],
          views.map(({ policy: p, state: s }) => h('tr', { 'data-policy': p.name, class: p.name === editing ? 'selected' : null },
            h('td', {}, badge(s.status)), h('td', {}, h('strong', { text: p.name })), h('td', { text: p.provider }),
            h('td', { text: p.orchestratorId }), h('td', { text: s.agentId || '—' }), h('td', { text: String(s.restartCount) }),
            h('td', { text: String(s.consecutiveFailures) }), h('td', { text: s.lastError || '' }),
            h('td', {}, s.updatedAt ? time(s.updatedAt, model) : '—'),
            h('td', {}, h('button', { type: 'button', text: 'Start', onclick: () => act(p.name, 'start') }), ' ',
              h('button', { type: 'button', text: 'Restart', onclick: () => act(p.name, 'restart') }), ' ',
              h('button.danger', { type: 'button', text: 'Stop', onclick: () => act(p.name, 'stop') }), ' ',
              h('button', { type: 'button', text: 'Edit', onclick: () => go(`policies/${enc(p.name)}`) })))))
        : emptyState('No spawn policies yet. Create one with the form, agent-relay policies set, or PUT /api/spawn-policy/:name.'));
    }

    // The form is built once; live updates redraw the list only, never what is being typed.
    const field = (name, label, attrs = {}) => h('input', { name, 'aria-label': label, ...attrs });
    const name = field('name', 'name', { placeholder: 'api-fixer', required: true });
    const orchestrator = field('orchestratorId', 'orchestrator', { placeholder: 'orchestrator id', required: true, list: 'policy-orchestrators' });
    const orchestrators = h('datalist', { id: 'policy-orchestrators' });
    const provider = h('select', { name: 'provider', 'aria-label': 'provider' }, ['claude', 'codex'].map((p) => h('option', { value: p, text: p })));
    const cwd = field('cwd', 'working folder', { placeholder: "the orchestrator's base folder" });
    const label = field('label', 'label', { placeholder: 'optional' });
    const tags = field('tags', 'tags', { placeholder: 'optional, space separated' });
    const capabilities = field('capabilities', 'capabilities', { placeholder: 'optional, space separated' });
    const mode = h('select', { name: 'permissionMode', 'aria-label': 'permission mode' },
      ['guarded', 'open', 'read-only'].map((m) => h('option', { value: m, text: m })));
    const providerArgs = field('providerArgs', 'provider arguments', { placeholder: 'optional, space separated' });
    const pool = field('pool', 'pool', { placeholder: 'optional' });
    const prompt = h('textarea', { name: 'prompt', rows: 3, placeholder: 'first prompt (optional)', 'aria-label': 'prompt' });
    const form = h('form.spawn.policy', {}, h('label', { text: 'Name' }), name, h('label', { text: 'Orchestrator' }), orchestrator,
      h('label', { text: 'Provider' }), provider, h('label', { text: 'Folder' }), cwd, h('label', { text: 'Label' }), label,
      h('label', { text: 'Tags' }), tags, h('label', { text: 'Capabilities' }), capabilities,
      h('label', { text: 'Permissions' }), mode, h('label', { text: 'Provider args' }), providerArgs,
      h('label', { text: 'Pool' }), pool, prompt,
      h('div.buttons', {}, h('button', { type: 'submit', text: 'Save' }), ' ',
        h('button', { type: 'button', text: 'New', onclick: () => go('policies') })));
    const heading = h('h2');
    clear(formBox).append(heading, result, form, orchestrators);

    function fill(view) {
      const p = view ? view.policy : {};
      heading.textContent = view ? `Edit ${p.name}` : 'New policy';
      form.dataset.filled = view ? p.name : '';
      name.value = p.name || (editing || '');
      name.readOnly = Boolean(view);
      orchestrator.value = p.orchestratorId || '';
      provider.value = p.provider || 'claude';
      cwd.value = p.cwd || '';
      label.value = p.label || '';
      tags.value = (p.tags || []).join(' ');
      capabilities.value = (p.capabilities || []).join(' ');
      mode.value = p.permissionMode || 'guarded';
      providerArgs.value = (p.providerArgs || []).join(' ');
      pool.value = p.pool || '';
      prompt.value = p.prompt || '';
    }

    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = { orchestratorId: orchestrator.value.trim(), provider: provider.value, permissionMode: mode.value,
        tags: words(tags.value), capabilities: words(capabilities.value), providerArgs: words(providerArgs.value) };
      if (cwd.value.trim()) value.cwd = cwd.value.trim();
      if (label.value.trim()) value.label = label.value.trim();
      if (pool.value.trim()) value.pool = pool.value.trim();
      if (prompt.value.trim()) value.prompt = prompt.value.trim();
      const policyName = name.value.trim();
      attempt(result, async () => api(`/api/spawn-policy/${enc(policyName)}`, { method: 'PUT', body: { value } }),
        'saved').then((entry) => {
        if (entry) result.textContent = `saved ${policyName} at version ${entry.version}`;
      });
    });

    function drawOrchestrators() {
      clear(orchestrators).append(...[...model.orchestrators.keys()].sort().map((id) => h('option', { value: id })));
    }

    fill(null);
    drawOrchestrators();
    load();
    return {
      route(next) {
        editing = next || null;
        result.textContent = '';
        fill(views.find((v) => v.policy.name === editing));
        drawList();
      },
      update(kinds) {
        if (kinds.has('policies') || kinds.has('config')) load();
        else if (kinds.has('clock')) drawList();
        if (kinds.has('orchestrators')) drawOrchestrators();
      },
    };
  },
};
