// Overview: presence counts, messages per minute over the last hour, open streams, tasks by
// status, and the latest activity.
import { h, clear, time, emptyState } from '../lib/dom.js';
import { eventSummary } from './activity.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => el.setAttribute(k, v));
  return el;
}

export function presence(agents) {
  const counts = { online: 0, stale: 0, offline: 0 };
  for (const a of agents.values()) {
    if (a.status === 'stale') counts.stale += 1;
    else if (a.status === 'offline') counts.offline += 1;
    else counts.online += 1;
  }
  return counts;
}

function chart(buckets) {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const bar = width / buckets.length;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height + 16}`, class: 'chart', role: 'img',
    'aria-label': `messages per minute, last hour, peak ${max}` });
  buckets.forEach((b, i) => {
    const barHeight = Math.round((b.count / max) * height);
    const rect = svg('rect', { x: i * bar + 1, y: height - barHeight, width: Math.max(1, bar - 2), height: barHeight });
    const title = svg('title', {});
    title.textContent = `${new Date(b.minute).toLocaleTimeString()}: ${b.count}`;
    rect.append(title);
    root.append(rect);
  });
  const label = (x, text, anchor) => {
    const t = svg('text', { x, y: height + 13, 'text-anchor': anchor });
    t.textContent = text;
    return t;
  };
  root.append(label(0, '60 min ago', 'start'), label(width, `now · peak ${max}/min`, 'end'));
  root.append(svg('line', { x1: 0, x2: width, y1: height, y2: height }));
  return root;
}

export default {
  id: 'overview',
  title: 'Overview',
  mount(root, { model, api }) {
    const cards = h('section.cards', { 'aria-label': 'counts' });
    const chartBox = h('section.panel', {}, h('h2', { text: 'Messages per minute' }));
    const chartSlot = h('div');
    chartBox.append(chartSlot);
    const taskBox = h('section.panel', {}, h('h2', { text: 'Tasks by status' }));
    const taskSlot = h('div');
    taskBox.append(taskSlot);
    const activityBox = h('section.panel.wide', {}, h('h2', {}, 'Latest activity ', h('a', { href: '#/activity', text: 'all' })));
    const activitySlot = h('ol.feed');
    activityBox.append(activitySlot);
    root.append(h('h1', { text: 'Overview' }), cards, h('div.grid', {}, chartBox, taskBox, activityBox));
    let streams = model.stats ? model.stats.streams : 0;

    const card = (label, value, href, kind) => h('a.card', { href, class: kind ? `c-${kind}` : '' },
      h('span.value', { text: String(value), 'data-count': label }), h('span.label', { text: label }));

    function drawCards() {
      const p = presence(model.agents);
      clear(cards).append(
        card('online', p.online, '#/agents', 'online'),
        card('stale', p.stale, '#/agents', 'stale'),
        card('offline', p.offline, '#/agents', 'offline'),
        card('messages', model.messageTotal(), '#/messages'),
        card('open streams', streams, '#/streams'),
        card('tasks', model.tasks.size, '#/tasks'),
        card('orchestrators online', [...model.orchestrators.values()].filter((o) => o.status === 'online').length,
          '#/orchestrators'));
    }

    function drawTasks() {
      const byStatus = {};
      for (const t of model.tasks.values()) byStatus[t.status] = (byStatus[t.status] || 0) + 1;
      clear(taskSlot);
      const entries = Object.entries(byStatus);
      if (!entries.length) {
        taskSlot.append(emptyState('No tasks yet. Integrations raise them (docs/integrations.md).'));
        return;
      }
      taskSlot.append(h('ul.bars', {}, entries.map(([status, n]) => h('li', {},
        h('span.badge', { class: `b-${status}`, text: status }), h('strong', { text: ` ${n}` })))));
    }

    function drawActivity() {
      clear(activitySlot);
      const latest = model.events.slice(0, 12);
      if (!latest.length) {
        activitySlot.append(emptyState('Nothing has happened yet.'));
        return;
      }
      latest.forEach((e) => activitySlot.append(h('li', {}, time(e.ts, model), ' ', h('code', { text: e.type }), ' ',
        eventSummary(e))));
    }

    const drawChart = () => clear(chartSlot).append(chart(model.messagesPerMinute(60)));
    async function countStreams() {
      try {
        streams = (await api('/api/streams')).streams.length;
        drawCards();
      } catch (e) { /* shown by the shell */ }
    }

    drawCards(); drawChart(); drawTasks(); drawActivity(); countStreams();
    const minuteTimer = setInterval(drawChart, 30_000);
    return {
      update(kinds) {
        if (kinds.has('agents') || kinds.has('messages') || kinds.has('tasks') || kinds.has('orchestrators')) drawCards();
        if (kinds.has('messages') || kinds.has('clock')) drawChart();
        if (kinds.has('tasks')) drawTasks();
        if (kinds.has('events')) drawActivity();
      },
      unmount() { clearInterval(minuteTimer); },
    };
  },
};
