// Messages: the live feed with filters, a message's thread and per-recipient state, send and reply,
// claim and release.
import { h, clear, time, emptyState, VirtualList, badge, attempt } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const KINDS = ['chat', 'channel.event', 'task', 'pair', 'control', 'system'];

export default {
  id: 'messages',
  title: 'Messages',
  mount(root, { model, api, arg, go }) {
    const f = {
      agent: h('input', { type: 'search', name: 'agent', placeholder: 'agent (from or to)', 'aria-label': 'agent' }),
      target: h('input', { name: 'target', placeholder: 'target (to)', 'aria-label': 'target' }),
      kind: h('select', { name: 'kind', 'aria-label': 'kind' }, h('option', { value: '', text: 'any kind' }),
        KINDS.map((k) => h('option', { value: k, text: k }))),
      channel: h('input', { name: 'channel', placeholder: 'channel', 'aria-label': 'channel' }),
      unread: h('input', { type: 'checkbox', name: 'unread', 'aria-label': 'unread by the agent' }),
    };
    const count = h('span.muted');
    const detail = h('aside.detail', { 'aria-label': 'message' });
    const empty = h('div');
    let selected = null;
    let unreadIds = null; // ids unread by f.agent, when that filter is on
    if (arg && arg.startsWith('agent:')) f.agent.value = arg.slice(6);
    else if (arg) selected = Number(arg);

    const list = new VirtualList({
      rowHeight: 34,
      label: 'messages',
      render: (m) => h('div.row', { 'data-message': m.id }, h('span.col-id', { text: `#${m.id}` }), time(m.createdAt, model),
        h('span.col-route', { text: `${m.from} → ${m.resolvedToAgent ? `${m.to} (${m.resolvedToAgent})` : m.to}` }), badge(m.kind),
        m.deliveryStatus && m.deliveryStatus !== 'delivered' ? badge(m.deliveryStatus) : null,
        m.claimable ? badge(m.claimedBy ? `claimed by ${m.claimedBy}` : 'claimable', m.claimedBy ? 'claimed' : 'open') : null,
        h('span.grow', { text: (m.subject ? `${m.subject}: ` : '') + m.body })),
      onOpen: (m) => go(`messages/${m.id}`),
    });

    // ---- send form
    const send = {
      from: h('input', { name: 'from', required: true, placeholder: 'from (agent id)', value: localStorage.getItem('agent-relay.as') || 'dashboard' }),
      to: h('input', { name: 'to', required: true, placeholder: 'to: id, tag:x, cap:x, label:x, broadcast, pool:x, policy:x' }),
      kind: h('select', { name: 'kind' }, KINDS.map((k) => h('option', { value: k, text: k }))),
      subject: h('input', { name: 'subject', placeholder: 'subject (optional)' }),
      body: h('textarea', { name: 'body', required: true, rows: 2, placeholder: 'message' }),
      claimable: h('input', { type: 'checkbox', name: 'claimable' }),
    };
    const sendStatus = h('span.status', { 'aria-live': 'polite' });
    const sendForm = h('form.send', { 'aria-label': 'send a message' },
      h('label', {}, 'From ', send.from), h('label', {}, 'To ', send.to), h('label', {}, 'Kind ', send.kind),
      h('label', {}, 'Subject ', send.subject), h('label.wide', {}, 'Body ', send.body),
      h('label', {}, send.claimable, ' claimable'), h('button', { type: 'submit', text: 'Send' }), sendStatus);
    sendForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      localStorage.setItem('agent-relay.as', send.from.value.trim());
      const body = { from: send.from.value.trim(), to: send.to.value.trim(), kind: send.kind.value, body: send.body.value,
        claimable: send.claimable.checked };
      if (send.subject.value.trim()) body.subject = send.subject.value.trim();
      const sent = await attempt(sendStatus, () => api('/api/messages', { method: 'POST', body }), 'sent');
      if (sent) {
        sendStatus.textContent = `sent #${sent.id}`;
        send.body.value = '';
      }
    });

    root.append(h('h1', { text: 'Messages' }), h('details.panel', { open: true }, h('summary', { text: 'Send a message' }), sendForm),
      h('div.split', {}, h('section.panel', {}, h('div.toolbar', {}, f.agent, f.target, f.kind, f.channel,
        h('label', {}, f.unread, ' unread by agent'), count), empty, list.el), detail));

    function visible() {
      const agent = f.agent.value.trim();
      const target = f.target.value.trim().toLowerCase();
      const channel = f.channel.value.trim();
      return model.messages.filter((m) => (!agent || m.from === agent || m.to === agent)
        && (!target || m.to.toLowerCase() === target) && (!f.kind.value || m.kind === f.kind.value)
        && (!channel || m.channel === channel) && (!unreadIds || unreadIds.has(m.id)));
    }

    function draw() {
      const items = visible();
      count.textContent = `${items.length} shown · newest ${model.messages.length} kept`;
      clear(empty);
      if (!items.length) {
        empty.append(emptyState(model.messages.length ? 'No message matches these filters.' : 'No messages yet. Send one above.'));
      }
      list.setItems(items);
    }

    // "Unread" is per agent, so the relay answers it: that agent's inbox, unread only.
    let unreadTimer = null;
    async function loadUnread() {
      const agent = f.agent.value.trim();
      if (!f.unread.checked || !agent) {
        unreadIds = null;
        draw();
        return;
      }
      try {
        const inbox = await api(`/api/messages?for=${enc(agent)}&unread=true&limit=500`);
        unreadIds = new Set(inbox.messages.map((m) => m.id));
        inbox.messages.forEach((m) => model.addMessage(m, false));
      } catch (e) {
        unreadIds = new Set();
        count.textContent = e.message;
      }
      draw();
    }
    const refreshUnread = () => {
      clearTimeout(unreadTimer);
      unreadTimer = setTimeout(loadUnread, 300);
    };
    Object.values(f).forEach((input) => input.addEventListener(input.type === 'checkbox' || input.tagName === 'SELECT' ? 'change' : 'input', () => {
      if (input === f.unread || input === f.agent) refreshUnread();
      draw();
    }));

    // ---- detail: the message, its state per recipient, its thread, claim / release, reply.
    // The controls stay put while the details redraw around them: a live update must not reset
    // what the user is typing, or swap a button under their click.
    const as = h('input', { name: 'as', value: localStorage.getItem('agent-relay.as') || '', placeholder: 'agent id', 'aria-label': 'act as agent' });
    const result = h('span.status', { 'aria-live': 'polite' });
    const act = (verb, done) => attempt(result, () => {
      localStorage.setItem('agent-relay.as', as.value.trim());
      return api(`/api/messages/${selected}/${verb}`, { method: 'POST', body: { agentId: as.value.trim() } });
    }, done).then(() => drawDetail());
    const claimButton = h('button', { type: 'button', text: 'Claim', onclick: () => act('claim', 'claimed') });
    const releaseButton = h('button', { type: 'button', text: 'Release', onclick: () => act('release', 'released') });
    const actions = h('div.actions', {}, h('label', {}, 'As ', as), claimButton, releaseButton,
      h('button', { type: 'button', text: 'Mark read', onclick: () => act('read', 'marked read') }));
    const reply = h('textarea', { name: 'reply', rows: 2, 'aria-label': 'reply' });
    const replyForm = h('form.reply', {}, reply, h('button', { type: 'submit', text: 'Reply' }));
    let shown = null; // the message as last drawn
    replyForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const m = shown;
      attempt(result, () => api('/api/messages', { method: 'POST', body: { from: as.value.trim() || 'dashboard', to: m.from,
        replyTo: m.id, body: reply.value, kind: m.kind === 'task' ? 'chat' : m.kind } }), 'replied').then((sent) => {
        if (sent) reply.value = '';
        drawDetail();
      });
    });
    const info = h('div');
    const threadBox = h('div');

    let detailToken = 0;
    async function drawDetail() {
      const mine = ++detailToken;
      if (!selected) {
        shown = null;
        clear(detail).append(emptyState('Select a message (Enter or click) for its thread and delivery state.'));
        return;
      }
      let m;
      let state;
      let thread;
      try {
        [m, state, thread] = await Promise.all([api(`/api/messages/${selected}`), api(`/api/messages/${selected}/status`),
          api(`/api/messages/${selected}/thread`)]);
      } catch (e) {
        if (mine === detailToken) clear(detail).append(h('p.status.error', { text: `Message #${selected}: ${e.message}` }));
        return;
      }
      if (mine !== detailToken) return;
      if (!shown || shown.id !== m.id) result.textContent = '';
      shown = m;
      claimButton.hidden = !m.claimable;
      releaseButton.hidden = !m.claimable;
      reply.placeholder = `reply to ${m.from}`;
      const readers = new Map(state.readBy.map((r) => [r.agentId, r.readAt]));
      const recipients = [...new Set([...state.recipients, ...readers.keys()])];
      clear(info).append(h('h2', { text: `#${m.id} ${m.subject || ''}` }),
        h('p', {}, `${m.from} → ${m.to} · `, badge(m.kind), ' · ', time(m.createdAt, model), m.channel ? ` · channel ${m.channel}` : ''),
        h('pre.body', { text: m.body }),
        h('h3', { text: 'Delivery' }),
        h('p', {}, badge(state.deliveryStatus), state.resolvedToAgent ? ` to ${state.resolvedToAgent}` : '', state.claimedBy ? ` claimed by ${state.claimedBy} until ` : '',
          state.claimedBy ? time(state.claimExpiresAt, model) : ''),
        recipients.length ? h('table.recipients', {}, h('thead', {}, h('tr', {}, h('th', { text: 'recipient' }), h('th', { text: 'read' }))),
          h('tbody', {}, recipients.map((r) => h('tr', {}, h('td', { text: r }),
            h('td', {}, readers.has(r) ? time(readers.get(r), model) : 'unread')))))
          : emptyState('No registered recipient (the target reaches no agent now).'));
      clear(threadBox).append(h('h3', { text: `Thread (${thread.messages.length})` }),
        h('ol.thread', {}, thread.messages.map((t) => h('li', { class: t.id === m.id ? 'current' : '' },
          h('a', { href: `#/messages/${t.id}`, text: `#${t.id}` }), ` ${t.from} → ${t.to} `, time(t.createdAt, model),
          h('div', { text: t.body })))));
      if (!detail.contains(info)) clear(detail).append(info, actions, result, threadBox, replyForm);
    }

    draw();
    drawDetail();
    if (f.unread.checked) loadUnread();
    return {
      route(next) {
        if (next && next.startsWith('agent:')) {
          f.agent.value = next.slice(6);
          draw();
          return;
        }
        selected = next ? Number(next) : null;
        drawDetail();
      },
      update(kinds) {
        if (kinds.has('messages')) draw();
        if (unreadIds && (kinds.has('messages') || kinds.has('reads'))) refreshUnread();
      },
      unmount() { clearTimeout(unreadTimer); },
    };
  },
};
