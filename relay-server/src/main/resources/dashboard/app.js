// The dashboard shell: token, menu, routing between views, the live stream, theme, keyboard.
import { api, onUnauthorized } from './lib/api.js';
import { takeFromFragment, token, setToken, clearToken } from './lib/token.js';
import { LiveStream } from './lib/live.js';
import { Model } from './lib/model.js';
import { h, clear, refreshTimes } from './lib/dom.js';
import { views } from './views/index.js';

takeFromFragment();

const model = new Model();
const $ = (id) => document.getElementById(id);
const viewRoot = $('view');
const connection = $('connection');
let current = null;   // {view, instance}
let booted = false;

const live = new LiveStream({
  onEvents: (events) => model.apply(events),
  onState: (state) => {
    connection.textContent = state;
    connection.dataset.state = state;
  },
});

// ---- notices and sign-in -------------------------------------------------------------------
export function notify(text, kind = 'error') {
  const notice = $('notice');
  notice.textContent = text;
  notice.dataset.kind = kind;
  notice.hidden = !text;
}

function askForToken(error) {
  live.stop();
  booted = false;
  const dialog = $('signin');
  $('signin-reason').textContent = token()
    ? 'The relay refused this token. Enter the relay\'s token (AGENT_RELAY_TOKEN).'
    : 'This relay needs its token (AGENT_RELAY_TOKEN).';
  $('signin-reason').dataset.status = error ? error.status : '';
  if (!dialog.open) dialog.showModal();
  $('signin-token').focus();
}

onUnauthorized((error) => askForToken(error));

$('signin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('signin-token').value.trim();
  if (!value) return;
  setToken(value);
  $('signin-token').value = '';
  $('signin').close();
  boot();
});

$('signout').addEventListener('click', () => {
  clearToken();
  live.stop();
  booted = false;
  if (current) unmount();
  clear(viewRoot).append(h('p.empty', { text: 'Signed out. The token was removed from this browser.' }));
  $('signout').hidden = true;
  askForToken(null);
});

// ---- theme -------------------------------------------------------------------------------
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem('agent-relay.theme', theme);
}
applyTheme(localStorage.getItem('agent-relay.theme')
  || (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
$('theme').addEventListener('click', () => applyTheme(document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark'));

// ---- menu and routing ----------------------------------------------------------------------
const menu = $('menu');
views.forEach((view, i) => {
  const key = view.key || String(i + 1);
  menu.append(h('a', { href: `#/${view.id}`, 'data-view': view.id, 'aria-keyshortcuts': key, title: `${view.title} (${key})`,
    text: view.title }));
});

function route() {
  const [, id = 'overview', ...rest] = location.hash.split('/');
  const view = views.find((v) => v.id === id) || views[0];
  menu.querySelectorAll('a').forEach((a) => {
    if (a.dataset.view === view.id) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  if (!booted) return;
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : null;
  if (current && current.view === view && current.instance.route) {
    current.instance.route(arg);
    return;
  }
  if (current) unmount();
  clear(viewRoot);
  viewRoot.dataset.view = view.id;
  const ctx = { model, api, notify, arg, go: (path) => { location.hash = `#/${path}`; } };
  const instance = view.mount(viewRoot, ctx) || {};
  const unsubscribe = model.subscribe((kinds) => {
    if (instance.update) instance.update(kinds);
  });
  current = { view, instance, unsubscribe };
  document.title = `${view.title} · Agent Relay`;
}

function unmount() {
  current.unsubscribe();
  if (current.instance.unmount) current.instance.unmount();
  current = null;
}

window.addEventListener('hashchange', () => {
  // A #token= link opened in a tab that already shows the page: no reload, so take it here.
  if (takeFromFragment()) {
    if ($('signin').open) $('signin').close();
    live.stop();
    boot();
    return;
  }
  route();
});

// ---- keyboard ------------------------------------------------------------------------------
document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = e.target.closest('input, textarea, select, [contenteditable]');
  if (e.key === 'Escape' && typing) {
    e.target.blur();
    return;
  }
  if (typing) return;
  const view = views.find((v, i) => (v.key || String(i + 1)) === e.key);
  if (view) {
    location.hash = `#/${view.id}`;
    e.preventDefault();
  } else if (e.key === 't') {
    $('theme').click();
  } else if (e.key === '/') {
    const filter = viewRoot.querySelector('input[type=search], input');
    if (filter) {
      filter.focus();
      e.preventDefault();
    }
  }
});

// ---- boot ----------------------------------------------------------------------------------
async function boot() {
  notify('');
  connection.textContent = 'connecting';
  connection.dataset.state = 'connecting';
  let resumeFrom;
  try {
    resumeFrom = await model.load();
  } catch (e) {
    if (e.status === 401) return; // the sign-in dialog is up
    notify(`Cannot load from the relay: ${e.message}. Retrying…`);
    setTimeout(boot, 3000);
    return;
  }
  booted = true;
  $('signout').hidden = !token();
  live.start(resumeFrom);
  if (current) unmount();
  route();
}

setInterval(() => refreshTimes(viewRoot, model), 15_000);
route();
boot();

// For the browser tests and the curious: the page's model, read-only use.
window.agentRelay = { model, live };
