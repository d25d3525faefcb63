// Channels: the agents that bridge outside conversations (Slack, Telegram, a web chat), each with
// its bindings; add a binding (with the channel agent's current session as its guard) or remove
// one; the channel's live activity (typing, presence) and its channel.event messages.
// Route: #/channels/<channel id>, URL-encoded.
import { h, clear, time, emptyState, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const SHOWN = 50;

function table(columns, rows) {
  return h('table', { class: 'compact' }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))),
    h('tbody', {}, rows));
}

function address(target) {
  const prefix = { agent: '', tag: 'tag:', capability: 'cap:', label: 'label:', pool: 'pool:', policy: 'policy:' };
  return target.type === 'broadcast' ? 'broadcast' : `${prefix[target.type] ?? `${target.type}:`}${target.id}`;
}

export default {
  id: 'channels',
  title: 'Channels',
  key: '0',
  mount(root, { model, api, arg, go }) {
    let selectedId = arg;
    let channels = [];
    let bindings = [];
    const listBox = h('div');
    const bindingsBox = h('div');
    const formBox = h('div');
    const feedBox = h('div');
    const result = h('span.status', { 'aria-live': 'polite' });
    const detail = h('aside.detail', { 'aria-label': 'channel' }, h('h2', { text: 'Bindings' }), bindingsBox, formBox,
      result, h('h2', { text: 'Live' }), feedBox);
    root.append(h('h1', { text: 'Channels' }),
      h('div.split', {}, h('section.panel', { 'aria-label': 'channels' }, listBox), detail));
    let drawing = 0; // a slower, older answer must not overwrite a newer one

    async function load() {
      const mine = ++drawing;
      let loaded;
      try {
        loaded = await Promise.all([api('/api/channels'), api('/api/channel-bindings')]);
      } catch (e) {
        if (mine === drawing) clear(listBox).append(h('p.status.error', { text: `Channels: ${e.message}` }));
        return;
      }
      if (mine !== drawing) return;
      [channels, bindings] = loaded;
      if (!selectedId && channels.length) selectedId = channels[0].id;
      drawList();
      drawBindings();
      drawFeed();
    }

    const selected = () => channels.find((c) => c.id === selectedId) || null;

    function drawList() {
      clear(listBox);
      if (!channels.length) {
        listBox.append(emptyState('No channels. A bridge registers an agent of kind "channel" (see docs/channels.md).'));
        return;
      }
      listBox.append(table(['channel', 'type', 'status', 'agent', 'account', 'bindings'], channels.map((c) => h('tr',
        { 'data-channel': c.id, class: c.id === selectedId ? 'selected' : undefined },
        h('td', {}, h('a', { href: `#/channels/${enc(c.id)}`, text: c.id })), h('td', { text: c.type }),
        h('td', {}, badge(c.status), c.ready ? ' ready' : ''), h('td', { text: c.agentId }), h('td', { text: c.accountId }),
        h('td', { text: String(bindings.filter((b) => b.channelId === c.id).length) })))));
    }

    function drawBindings() {
      const c = selected();
      clear(bindingsBox);
      if (!c) {
        bindingsBox.append(emptyState('Select a channel.'));
        clear(formBox);
        return;
      }
      const mine = bindings.filter((b) => b.channelId === c.id);
      bindingsBox.append(mine.length ? table(['#', 'conversation', 'target', 'mode', 'priority', ''], mine.map((b) =>
        h('tr', { 'data-binding': b.id }, h('td', { text: `#${b.id}` }), h('td', { text: b.conversationId || 'all' }),
          h('td', {}, h('code', { text: address(b.target) })), h('td', { text: b.mode }),
          h('td', { text: b.priority == null ? '—' : String(b.priority) }),
          h('td', {}, h('button', { type: 'button', text: 'Remove', 'aria-label': `remove binding ${b.id}`,
            onclick: () => attempt(result, () => api(`/api/channel-bindings/${b.id}`, { method: 'DELETE' }),
              `binding #${b.id} removed`).then(load) })))))
        : emptyState('No bindings: its events are refused (409 channel has no binding).'));
      if (formBox.dataset.channel !== c.id) buildForm(c);
    }

    // Built once per channel, so a live redraw never resets what is being typed.
    function buildForm(c) {
      formBox.dataset.channel = c.id;
      const target = h('input', { name: 'target', placeholder: 'alice, tag:support, cap:triage, broadcast…', 'aria-label': 'target' });
      const conversation = h('input', { name: 'conversationId', placeholder: 'all conversations', 'aria-label': 'conversation' });
      const mode = h('select', { name: 'mode', 'aria-label': 'mode' }, ['exclusive', 'broadcast'].map((m) => h('option', { value: m, text: m })));
      const priority = h('input', { name: 'priority', type: 'number', placeholder: 'none', 'aria-label': 'priority' });
      const form = h('form.bind', {}, h('label', { text: 'Target' }), target, h('label', { text: 'Conversation' }), conversation,
        h('label', { text: 'Mode' }), mode, h('label', { text: 'Priority' }), priority,
        h('div.buttons', {}, h('button', { type: 'submit', text: 'Bind' })));
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        // The relay wants the channel agent's session: the dashboard acts with the current one.
        const agent = model.agents.get(c.agentId);
        const body = { channelId: c.id, target: target.value.trim(), mode: mode.value };
        if (conversation.value.trim()) body.conversationId = conversation.value.trim();
        if (priority.value.trim()) body.priority = Number(priority.value);
        if (agent && agent.instanceId) body.instanceId = agent.instanceId;
        if (agent) body.epoch = agent.epoch;
        attempt(result, () => api('/api/channel-bindings', { method: 'POST', body }), 'bound').then((answer) => {
          if (answer) {
            result.textContent = `bound #${answer.id} → ${address(answer.target)}`;
            target.value = '';
            load();
          }
        });
      });
      clear(formBox).append(h('h3', { text: 'Add a binding' }), form);
    }

    function drawFeed() {
      const c = selected();
      clear(feedBox);
      if (!c) return;
      const activity = model.events.filter((e) => e.type === 'channel.activity' && e.data.channelId === c.id)
        .slice(0, SHOWN).map((e) => ({ ts: e.ts, what: 'activity', text: `${e.data.payload?.event?.type || 'activity'}`
          + `${e.data.conversationId ? ` in ${e.data.conversationId}` : ''}`, id: `e${e.id}` }));
      const events = model.messages.filter((m) => m.kind === 'channel.event' && m.channel === c.id).slice(0, SHOWN)
        .map((m) => ({ ts: m.createdAt, what: 'event', text: `→ ${m.to}: ${m.body}`, id: `m${m.id}` }));
      const items = [...activity, ...events].sort((a, b) => b.ts - a.ts).slice(0, SHOWN);
      feedBox.append(items.length
        ? h('ol.feed.channel-feed', {}, items.map((i) => h('li', { 'data-item': i.id, 'data-kind': i.what },
          time(i.ts, model), badge(i.what, i.what === 'event' ? 'done' : 'open'), ` ${i.text}`)))
        : emptyState('Nothing yet: channel events and activity show here as they happen.'));
    }

    load();
    return {
      route(next) {
        selectedId = next;
        drawList();
        drawBindings();
        drawFeed();
      },
      update(kinds) {
        if (kinds.has('channels') || kinds.has('agents')) load();
        else if (kinds.has('messages') || kinds.has('events')) drawFeed();
      },
    };
  },
};
