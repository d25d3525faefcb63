// JSON calls to the relay's /api, with the token in the Authorization header.
import { token } from './token.js';

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

const unauthorizedListeners = new Set();

/** Called with the ApiError whenever the relay answers 401. */
export function onUnauthorized(listener) {
  unauthorizedListeners.add(listener);
}

export function authHeaders() {
  const t = token();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

export function unauthorized(error) {
  unauthorizedListeners.forEach((listener) => listener(error));
}

/** Calls the relay; resolves with the parsed body, rejects with an ApiError naming the relay's reason. */
export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json', ...authHeaders() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'the relay is unreachable', null);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const reason = json && json.error ? json.error : `HTTP ${response.status}`;
    const error = new ApiError(response.status, reason, json);
    if (response.status === 401) unauthorized(error);
    throw error;
  }
  return json;
}

export const enc = encodeURIComponent;
