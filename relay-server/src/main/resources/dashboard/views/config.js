// Config: the relay's versioned config store. Namespaces, a namespace's keys (version, who wrote it,
// when), one key's value and its history. Read-only (write with `agent-relay config set` or the API);
// every config.changed event redraws what is shown. Route: #/config/<namespace>/<key>, each part
// URL-encoded (neither may contain '/', so the two split apart again).
import { h, clear, time, emptyState, badge } from '../lib/dom.js';
import { enc } from '../lib/api.js';

const PREVIEW = 80;

function split(arg) {
  if (!arg) return [null, null];
  const slash = arg.indexOf('/');
  return slash < 0 ? [arg, null] : [arg.slice(0, slash), arg.slice(slash + 1) || null];
}

function compact(value) {
  const text = JSON.stringify(value);
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text;
}

function table(columns, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))), h('tbody', {}, rows));
}

export default {
  id: 'config',
  title: 'Config',
  mount(root, { model, api, arg, go }) {
    let [namespace, key] = split(arg);
    const chips = h('div.chips', { role: 'group', 'aria-label': 'namespace' });
    const keys = h('div');
    const detail = h('aside.detail', { 'aria-label': 'config key' });
    root.append(h('h1', { text: 'Config' }), h('div.split', {}, h('section.panel', {}, chips, keys), detail));
    let drawing = 0; // a slower, older answer must not overwrite a newer one

    async function draw() {
      const mine = ++drawing;
      let namespaces;
      let entries = [];
      let entry = null;
      let history = [];
      try {
        namespaces = await api('/api/config');
        if (!namespace && namespaces.length) namespace = namespaces[0].namespace;
        if (namespace) entries = await api(`/api/config/${enc(namespace)}`);
        if (namespace && key) {
          history = await api(`/api/config/${enc(namespace)}/${enc(key)}/history?limit=100`);
          entry = entries.find((e) => e.key === key) || null;
        }
      } catch (e) {
        if (mine === drawing) clear(keys).append(h('p.status.error', { text: `Config: ${e.message}` }));
        return;
      }
      if (mine !== drawing) return;
      drawNamespaces(namespaces);
      drawKeys(entries);
      drawDetail(entry, history);
    }

    function drawNamespaces(namespaces) {
      clear(chips).append(...namespaces.map((n) => h('button.chip', { type: 'button', 'data-namespace': n.namespace,
        'aria-pressed': String(n.namespace === namespace), text: `${n.namespace} ${n.keys}`,
        onclick: () => go(`config/${enc(n.namespace)}`) })));
    }

    function drawKeys(entries) {
      clear(keys);
      if (!namespace) {
        keys.append(emptyState('No config yet. Write a key with agent-relay config set NAMESPACE KEY VALUE, '
          + 'or PUT /api/config/<namespace>/<key> {"value": …}.'));
        return;
      }
      if (!entries.length) {
        keys.append(emptyState(`No keys in ${namespace}.`));
        return;
      }
      keys.append(table(['key', 'version', 'updated by', 'updated', 'value'], entries.map((e) => h('tr',
        { 'data-key': e.key, class: e.key === key ? 'selected' : undefined },
        h('td', {}, h('a', { href: `#/config/${enc(namespace)}/${enc(e.key)}`, text: e.key })),
        h('td', { text: `v${e.version}` }), h('td', { text: e.updatedBy || '—' }), h('td', {}, time(e.updatedAt, model)),
        h('td', {}, h('code', { text: compact(e.value) }))))));
    }

    function drawDetail(entry, history) {
      clear(detail);
      if (!key) {
        detail.append(emptyState('Select a key for its value and history.'));
        return;
      }
      detail.append(h('h2', { text: `${namespace} / ${key}` }));
      if (entry) {
        detail.append(h('dl', {}, [['version', `v${entry.version}`], ['updated by', entry.updatedBy || '—'],
          ['updated', time(entry.updatedAt, model)], ['created', time(entry.createdAt, model)]]
          .flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
        h('pre.body.value', { text: JSON.stringify(entry.value, null, 2) }));
      } else {
        detail.append(h('p', {}, badge(history.length ? 'deleted' : 'not found', 'canceled'),
          history.length ? ` at version ${history[0].version}` : ' — this key was never written'));
      }
      detail.append(h('h3', { text: 'History' }), history.length
        ? h('ol.feed.history', {}, history.map((r) => h('li', { 'data-version': r.version }, time(r.updatedAt, model),
          `v${r.version} `, r.deleted ? badge('deleted', 'canceled') : h('code', { text: compact(r.value) }),
          r.updatedBy ? ` by ${r.updatedBy}` : '')))
        : emptyState('No history.'));
    }

    draw();
    return {
      route(next) { [namespace, key] = split(next); draw(); },
      update(kinds) { if (kinds.has('config')) draw(); },
    };
  },
};
