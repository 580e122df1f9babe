// The control API from the browser (docs/api.md): requests with the token as a bearer
// header, and one shared WebSocket stream whose messages fan out to the pages.
//
// The token lives in sessionStorage (docs/web.md explains why not a cookie): it is
// scoped to this origin (scheme, host and port) and this tab, and it is sent only where
// our code puts it, so no other site or other engine on the same host can make the
// browser use it.

const TOKEN_KEY = 'eventrunner.token';
const listeners = new Set();
let socket = null;
let retryMs = 500;
let live = false;  // The stream said hello and has not closed since.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

// Calls the API; resolves to the parsed body, rejects with an ApiError for any status
// but 200. A 401 forgets the token, so the app shows the login page again.
export async function api(method, path, body, tokenOverride) {
  const headers = { Authorization: `Bearer ${tokenOverride || token()}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: text }; }
  if (response.status === 401 && !tokenOverride) {
    setToken(null);
    window.dispatchEvent(new Event('er-logout'));
  }
  if (response.status !== 200) throw new ApiError(response.status, data);
  return data;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const enc = encodeURIComponent;

function connect() {
  if (socket || !token()) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // Browsers cannot set headers on a WebSocket: the token rides in the subprotocol
  // list, and the server answers with the plain "eventrunner" protocol.
  socket = new WebSocket(`${scheme}//${location.host}/api/stream`, ['eventrunner', `bearer.${token()}`]);
  socket.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    if (message.kind === 'hello') { retryMs = 500; live = true; }
    for (const fn of listeners) fn(message);
  };
  socket.onclose = () => {
    socket = null;
    live = false;
    for (const fn of listeners) fn({ kind: 'closed' });
    if (listeners.size > 0 && token()) setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 10000);
  };
}

// Calls fn(message) for every stream message until the returned function is called.
export function subscribe(fn) {
  listeners.add(fn);
  connect();
  return () => listeners.delete(fn);
}

// True while the stream is connected (a page that subscribes later missed its hello).
export function isLive() {
  return live;
}

export function disconnect() {
  if (socket) socket.close();
}
