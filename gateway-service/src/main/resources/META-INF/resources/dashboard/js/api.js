// The page as an A2A 1.0 client of its gateway, plus the dashboard's own REST/SSE API. Same credentials for both:
// an API key (or a pasted token) from the header, or an OIDC access token from the login flow.
import { $ } from './util.js';

const base = new URL('/', location.href);
let rpcId = 0;

export function credential() { return sessionStorage.getItem('codetether.key') || ''; }
export function setCredential(key) {
  if (key) sessionStorage.setItem('codetether.key', key); else sessionStorage.removeItem('codetether.key');
}
export function tenant() { return ($('tenant').value || '').trim(); }

export function headers(accept) {
  const h = { 'Content-Type': 'application/json', 'A2A-Version': '1.0', Accept: accept || 'application/json' };
  const key = credential();
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

function withTenant(params) {
  const t = tenant();
  return t ? { ...params, tenant: t } : params;
}

export class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function rpc(method, params) {
  const response = await fetch(base, { method: 'POST', headers: headers(),
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params: withTenant(params) }) });
  const body = await response.json();
  if (body.error) throw new HttpError(response.status, `${method}: ${body.error.message} (${body.error.code})`);
  return body.result;
}

/** GET a dashboard/REST path as JSON; errors carry the HTTP status (404 = not on this gateway). */
export async function getJson(path, query) {
  const url = new URL(path, base);
  const t = tenant();
  if (t) url.searchParams.set('tenant', t);
  for (const [k, v] of Object.entries(query || {})) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: headers() });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try { const b = await response.json(); message = (b.error && (b.error.message || b.error)) || message; } catch (e) { /* not JSON */ }
    throw new HttpError(response.status, `${path}: ${message}`);
  }
  return response.json();
}

export async function post(path, body) {
  const response = await fetch(new URL(path, base), { method: 'POST', headers: headers(), body: body ? JSON.stringify(body) : '' });
  if (!response.ok) {
    let message = `HTTP ${response.status}`;
    try { const b = await response.json(); message = (b.error && (b.error.message || b.error)) || message; } catch (e) { /* not JSON */ }
    throw new HttpError(response.status, `${path}: ${message}`);
  }
  return response.json();
}

/**
 * Reads an SSE body frame by frame: onEvent(name, data). EventSource cannot send an Authorization header.
 * Line ends are normalised per chunk and the search for the next frame end resumes where the last one stopped, so a
 * large snapshot arriving in many chunks is scanned once, not once per chunk.
 */
async function readSse(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let carry = ''; // a chunk's trailing CR, whose LF may start the next chunk
  let scanned = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    let text = carry + decoder.decode(value, { stream: true });
    carry = text.endsWith('\r') ? '\r' : '';
    if (carry) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    let start = 0;
    let cut;
    while ((cut = buffer.indexOf('\n\n', Math.max(start, scanned))) >= 0) {
      const frame = buffer.slice(start, cut);
      start = cut + 2;
      scanned = start;
      let name = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) onEvent(name, data.join('\n'));
    }
    buffer = buffer.slice(start);
    scanned = Math.max(0, buffer.length - 1);
  }
}

/** A JSON-RPC streaming method (SendStreamingMessage, SubscribeToTask): onResult per stream item. */
export async function rpcStream(method, params, onResult, signal) {
  const response = await fetch(base, { method: 'POST', headers: headers('text/event-stream'), signal,
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params: withTenant(params) }) });
  if (!(response.headers.get('content-type') || '').startsWith('text/event-stream')) {
    const body = await response.json();
    throw new HttpError(response.status, body.error ? `${method}: ${body.error.message}` : `${method}: no event stream`);
  }
  await readSse(response, (name, data) => {
    const message = JSON.parse(data);
    if (message.error) throw new HttpError(0, `${method}: ${message.error.message}`);
    onResult(message.result);
  });
}

/** A GET SSE stream of the dashboard or cognition API: onEvent(name, parsedOrRawData). */
export async function getStream(path, onEvent, signal, extraHeaders) {
  const url = new URL(path, base);
  const t = tenant();
  if (t) url.searchParams.set('tenant', t);
  const response = await fetch(url, { headers: { ...headers('text/event-stream'), ...(extraHeaders || {}) }, signal });
  if (!response.ok) throw new HttpError(response.status, `${path}: HTTP ${response.status}`);
  await readSse(response, (name, data) => {
    let v = data;
    try { v = JSON.parse(data); } catch (e) { /* plain text event */ }
    onEvent(name, v);
  });
}
