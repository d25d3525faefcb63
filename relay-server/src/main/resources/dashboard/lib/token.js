// The relay token: taken once from the address (#token=...), kept in localStorage, sent only in the
// Authorization header. Never put in a query string, never logged.
const KEY = 'agent-relay.token';

/** Moves a #token=... fragment into storage and out of the address bar (and history). */
export function takeFromFragment() {
  const match = /^#token=([^&]*)/.exec(location.hash);
  if (!match) return false;
  const value = decodeURIComponent(match[1]).trim();
  history.replaceState(null, '', location.pathname + location.search + '#/overview');
  if (value) localStorage.setItem(KEY, value);
  return value !== '';
}

export function token() {
  return localStorage.getItem(KEY);
}

export function setToken(value) {
  localStorage.setItem(KEY, value);
}

export function clearToken() {
  localStorage.removeItem(KEY);
}
