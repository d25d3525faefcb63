// Connectors: bridge programs on the relay's host. The list (installed by the relay's administrator,
// or registered only), and for the selected one its card, its actions as buttons (each run's output
// shown below them) and a config editor that shows the stored config with secrets masked. What
// runs is never shown or chosen here: only the installed manifest's actions exist. Every
// connector.* event redraws the list and card (never the editor, so typing survives).
// Route: #/connectors/<id>.
import { h, clear, time, emptyState, badge } from '../lib/dom.js';
import { enc } from '../lib/api.js';

function table(columns, rows) {
  return h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))),
    h('tbody', {}, rows));
}

function lastText(last) {
  if (!last) return '—';
  return `${last.action} ${last.ok ? 'ok' : last.exitCode == null ? 'failed' : `exit ${last.exitCode}`}`;
}

export default {
  id: 'connectors',
  title: 'Connectors',
  key: 'o',
  mount(root, { model, api, arg, go }) {
    let selectedId = arg || null;
    const listBox = h('div');
    const card = h('div');
    const actionsBox = h('div.actions');
    const result = h('span.status', { 'aria-live': 'polite' });
    const output = h('pre.body.output', { 'aria-label': 'action output', hidden: true });
    const configBox = h('div');
    const detail = h('aside.detail', { 'aria-label': 'connector' }, card, actionsBox, result, output, configBox);
    root.append(h('h1', { text: 'Connectors' }), h('div.split', {}, h('section.panel', {}, listBox), detail));
    let drawing = 0; // a slower, older answer must not overwrite a newer one
    let editorFor = null;

    async function draw() {
      const mine = ++drawing;
      let list;
      try {
        list = await api('/api/connectors');
      } catch (e) {
        if (mine === drawing) clear(listBox).append(h('p.status.error', { text: `Connectors: ${e.message}` }));
        return;
      }
      if (mine !== drawing) return;
      drawList(list);
      const selected = list.find((c) => c.id === selectedId) || null;
      drawCard(selected);
      if (selected && editorFor !== selected.id) drawEditor(selected);
      if (!selected) { editorFor = null; clear(configBox); clear(actionsBox); }
    }

    function drawList(list) {
      clear(listBox).append(list.length
        ? table(['id', 'name', 'installed', 'channel', 'last action', 'updated'], list.map((c) => h('tr', {
          'data-connector': c.id, class: c.id === selectedId ? 'selected' : null, tabindex: 0,
          onclick: () => go(`connectors/${enc(c.id)}`),
          onkeydown: (e) => { if (e.key === 'Enter') go(`connectors/${enc(c.id)}`); },
        }, h('td.col-id', { text: c.id }), h('td', { text: c.name || '—' }),
        h('td', {}, c.installed ? badge('installed', 'ok') : badge('registered', 'canceled')),
        h('td', { text: c.channelType || '—' }), h('td', { text: lastText(c.lastAction) }),
        h('td', {}, time(c.updatedAt, model)))))
        : emptyState('No connectors. The relay\'s administrator installs them as manifests in '
          + 'AGENT_RELAY_CONNECTORS_DIR; POST /api/connectors registers a description (docs/connectors.md).'));
    }

    function drawCard(c) {
      clear(card);
      if (!c) {
        card.append(emptyState(selectedId ? `Connector ${selectedId} not found.` : 'Select a connector.'));
        return;
      }
      const facts = [['installed', c.installed ? 'yes' : 'no — registered only; no action can run'],
        ['description', c.description || '—'], ['version', c.version || '—'], ['channel', c.channelType || '—'],
        ['last action', c.lastAction ? h('span', {}, lastText(c.lastAction), ' ', time(c.lastAction.at, model),
          ` (${c.lastAction.durationMs} ms)`) : '—'], ['updated', time(c.updatedAt, model)]];
      card.append(h('h2', { text: c.name ? `${c.name} (${c.id})` : c.id }),
        h('dl', {}, facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])));
      clear(actionsBox).append(...(c.actions.length
        ? c.actions.map((a) => h('button', { type: 'button', 'data-action': a, text: a, onclick: () => run(c.id, a) }))
        : [emptyState(c.installed ? 'Its manifest defines no action.' : 'Not installed on the relay\'s host.')]));
    }

    async function run(id, action) {
      actionsBox.querySelectorAll('button').forEach((b) => { b.disabled = true; });
      result.className = 'status';
      result.textContent = `${action} running…`;
      let answer;
      try {
        answer = await api(`/api/connectors/${enc(id)}/actions`, { method: 'POST', body: { action } });
      } catch (e) {
        // A failed run is a 502 whose body is the run's result; any other refusal has no output.
        answer = e.body && 'ok' in e.body ? e.body : { ok: false, error: e.message, output: '' };
      }
      actionsBox.querySelectorAll('button').forEach((b) => { b.disabled = false; });
      result.className = `status ${answer.ok ? 'ok' : 'error'}`;
      result.textContent = answer.ok ? `${action}: ok (${answer.durationMs} ms)` : `${action} failed: ${answer.error}`;
      output.hidden = false;
      output.textContent = answer.output || '(no output)';
    }

    async function drawEditor(c) {
      editorFor = c.id;
      const editor = h('textarea', { name: 'config', rows: 8, 'aria-label': 'config', spellcheck: 'false' });
      const saved = h('span.status', { 'aria-live': 'polite' });
      const form = h('form.config', {}, editor, h('div.buttons', {}, h('button', { type: 'submit', text: 'Save config' }), saved));
      clear(configBox).append(h('h3', { text: 'Config' }),
        h('p.hint', { text: 'Secret-looking values show as ********; saving replaces the config, and a ******** left as it is keeps the stored value.' }),
        form);
      try {
        editor.value = JSON.stringify(await api(`/api/connectors/${enc(c.id)}/config`), null, 2);
      } catch (e) {
        saved.className = 'status error';
        saved.textContent = e.message;
      }
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        let value;
        try {
          value = JSON.parse(editor.value);
        } catch (err) {
          saved.className = 'status error';
          saved.textContent = 'not JSON';
          return;
        }
        try {
          const masked = await api(`/api/connectors/${enc(c.id)}/config`, { method: 'PUT', body: value });
          editor.value = JSON.stringify(masked, null, 2);
          saved.className = 'status ok';
          saved.textContent = 'saved';
        } catch (err) {
          saved.className = 'status error';
          saved.textContent = err.message;
        }
      });
    }

    draw();
    return {
      route(next) { selectedId = next || null; output.hidden = true; result.textContent = ''; draw(); },
      update(kinds) { if (kinds.has('connectors')) draw(); },
    };
  },
};
