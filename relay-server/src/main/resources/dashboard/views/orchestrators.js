// Orchestrators: the hosts that run provider sessions in tmux, their managed agents, a spawn form,
// restart / shutdown actions, and their commands with the status the executor reports, all live.
import { h, clear, time, emptyState, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const COMMANDS_SHOWN = 50;
const words = (text) => text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);

/** What a command asks for, or what its executor last said about it. */
function commandDetail(c) {
  if (c.error) return c.error;
  if (c.progress) return c.progress;
  const p = c.params || {};
  if (c.type === 'agent.spawn') return `${p.provider} in ${p.cwd}${p.label ? ` (${p.label})` : ''}`;
  return p.agentId || 'all managed agents';
}

function table(columns, rows, cls = 'compact') {
  return h('table', { class: cls }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))), h('tbody', {}, rows));
}

export default {
  id: 'orchestrators',
  title: 'Orchestrators',
  mount(root, { model, api, arg, go }) {
    let selectedId = arg;
    const listBox = h('div');
    const commandsBox = h('div');
    // The selected orchestrator: its sessions and commands on the left, its card, actions and the
    // spawn form on the right.
    const selectedBox = h('section.panel', { 'aria-label': 'sessions and commands' });
    const detail = h('aside.detail', { 'aria-label': 'orchestrator' });
    root.append(h('h1', { text: 'Orchestrators' }), h('section.panel', {}, h('h2', { text: 'Registered' }), listBox),
      h('div.split', {}, h('div', {}, selectedBox, h('section.panel', {}, h('h2', { text: 'Recent commands' }), commandsBox)),
        detail));

    const newestCommands = (filter) => [...model.commands.values()].filter(filter)
      .sort((a, b) => b.id - a.id).slice(0, COMMANDS_SHOWN);

    function commandTable(commands, empty) {
      if (!commands.length) return emptyState(empty);
      return table(['#', 'type', 'status', 'for', 'detail', 'updated'], commands.map((c) => h('tr', { 'data-command': c.id },
        h('td.col-id', { text: `#${c.id}` }), h('td', {}, h('code', { text: c.type })), h('td', {}, badge(c.status)),
        h('td', { text: c.target }), h('td', { text: commandDetail(c) }), h('td', {}, time(c.updatedAt, model)))));
    }

    function drawList() {
      const all = [...model.orchestrators.values()].sort((a, b) => a.id.localeCompare(b.id));
      clear(listBox).append(all.length
        ? table(['status', 'id', 'host', 'providers', 'sessions', 'last seen'], all.map((o) => h('tr', {
          'data-orchestrator': o.id, class: o.id === selectedId ? 'selected' : null, tabindex: 0,
          onclick: () => go(`orchestrators/${enc(o.id)}`),
          onkeydown: (e) => { if (e.key === 'Enter') go(`orchestrators/${enc(o.id)}`); },
        }, h('td', {}, badge(o.status)), h('td', {}, h('strong', { text: o.id })), h('td', { text: o.hostname }),
        h('td', { text: o.providers.join(', ') }), h('td', { text: String(o.agents.length) }),
        h('td', {}, time(o.lastSeenAt, model)))))
        : emptyState('No orchestrators yet. An orchestrator registers with POST /api/orchestrators (docs/orchestration.md).'));
    }

    const drawCommands = () => clear(commandsBox).append(commandTable(newestCommands(() => true),
      'No commands yet. A spawn, restart or shutdown makes one.'));

    // The selected orchestrator's card, sessions and commands redraw with every change; the spawn
    // form is built once per orchestrator, so a live update never resets what is being typed.
    const info = h('div');
    const result = h('span.status', { 'aria-live': 'polite' });
    let formFor = null;
    const formBox = h('div');

    function act(o, action, agentId) {
      const body = { action };
      if (agentId) body.agentId = agentId;
      return attempt(result, async () => {
        const answer = await api(`/api/orchestrators/${enc(o.id)}/actions`, { method: 'POST', body });
        return answer.command;
      }, `${action} requested`);
    }

    function buildForm(o) {
      formFor = o.id;
      const provider = h('select', { name: 'provider', 'aria-label': 'provider' }, o.providers.map((p) => h('option', { value: p, text: p })));
      const cwd = h('input', { name: 'cwd', placeholder: o.baseDir, 'aria-label': 'working folder' });
      const label = h('input', { name: 'label', placeholder: 'optional', 'aria-label': 'label' });
      const mode = h('select', { name: 'approvalMode', 'aria-label': 'approval mode' },
        ['guarded', 'open', 'read-only'].map((m) => h('option', { value: m, text: m })));
      const tags = h('input', { name: 'tags', placeholder: 'optional, space separated', 'aria-label': 'tags' });
      const prompt = h('textarea', { name: 'prompt', rows: 3, placeholder: 'first prompt (optional)', 'aria-label': 'prompt' });
      const form = h('form.spawn', {}, h('label', { text: 'Provider' }), provider, h('label', { text: 'Folder' }), cwd,
        h('label', { text: 'Label' }), label, h('label', { text: 'Approval' }), mode, h('label', { text: 'Tags' }), tags,
        prompt, h('div.buttons', {}, h('button', { type: 'submit', text: 'Spawn' })));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const body = { provider: provider.value, approvalMode: mode.value };
        if (cwd.value.trim()) body.cwd = cwd.value.trim();
        if (label.value.trim()) body.label = label.value.trim();
        if (words(tags.value).length) body.tags = words(tags.value);
        if (prompt.value.trim()) body.prompt = prompt.value.trim();
        attempt(result, async () => {
          const answer = await api(`/api/orchestrators/${enc(o.id)}/spawn`, { method: 'POST', body });
          result.dataset.command = answer.command.id;
          return answer;
        }, 'spawn requested').then((answer) => {
          if (answer) result.textContent = `spawn requested: command #${answer.command.id} is ${answer.command.status}`;
        });
      });
      clear(formBox).append(h('h3', { text: 'Spawn a session' }), form);
    }

    function drawDetail() {
      const o = selectedId && model.orchestrators.get(selectedId);
      if (!o) {
        formFor = null;
        selectedBox.hidden = true;
        clear(detail).append(emptyState(selectedId ? `Orchestrator ${selectedId} is not registered (any more).`
          : 'Select an orchestrator for its sessions, a spawn form and its commands.'));
        return;
      }
      selectedBox.hidden = false;
      clear(info).append(h('h2', {}, o.id, ' ', badge(o.status)),
        h('dl', {}, [['host', o.hostname], ['inbox agent', o.agentId], ['base folder', h('code', { text: o.baseDir })],
          ['providers', o.providers.join(', ')], ['env keys', o.envKeys.join(', ') || '—'], ['API', o.apiUrl || '—'],
          ['last seen', time(o.lastSeenAt, model)], ['registered', time(o.createdAt, model)]]
          .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
        h('div.actions', {}, h('button', { type: 'button', text: 'Restart all', onclick: () => act(o, 'restart') }),
          h('button.danger', { type: 'button', text: 'Shut down all', onclick: () => act(o, 'shutdown') })));
      clear(selectedBox).append(h('h2', { text: `${o.id}: managed agents (${o.agents.length})` }), o.agents.length
        ? table(['agent', 'provider', 'label', 'tmux', 'folder', 'approval', 'pid', 'started', ''], o.agents.map((a) => h('tr', {
          'data-session': a.tmuxSession }, h('td', { text: a.agentId || '—' }), h('td', { text: a.provider }),
        h('td', { text: a.label || '' }), h('td', {}, h('code', { text: a.tmuxSession })), h('td', {}, h('code', { text: a.cwd })),
        h('td', { text: a.approvalMode }), h('td', { text: a.pid ?? '' }), h('td', {}, time(a.startedAt, model)),
        h('td', {}, h('button', { type: 'button', text: 'Restart', onclick: () => act(o, 'restart', a.agentId) }), ' ',
          h('button.danger', { type: 'button', text: 'Shut down', onclick: () => act(o, 'shutdown', a.agentId) })))))
        : emptyState('It reports no sessions.'),
      h('h3', { text: 'Its commands' }), commandTable(newestCommands((c) => c.target === o.agentId), 'None yet.'));
      if (formFor !== o.id) {
        result.textContent = '';
        buildForm(o);
      }
      if (!detail.contains(info)) clear(detail).append(info, result, formBox);
    }

    drawList();
    drawCommands();
    drawDetail();
    return {
      route(next) { selectedId = next; drawList(); drawDetail(); },
      update(kinds) {
        if (kinds.has('orchestrators')) drawList();
        if (kinds.has('commands')) drawCommands();
        if (kinds.has('orchestrators') || kinds.has('commands') || kinds.has('clock')) drawDetail();
      },
    };
  },
};
