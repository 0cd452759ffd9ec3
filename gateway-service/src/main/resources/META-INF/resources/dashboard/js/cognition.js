// Cognition: status, start/stop, the persona lineage and the live thought stream (bounded to the last 200).
import { $, el, showError, json } from './util.js';
import { getJson, post, getStream } from './api.js';

const MAX_THOUGHTS = 200;
let stream = null;
let timer = null;

export function init() {
  const act = (path) => post(path).then((s) => { status(s); refresh(); }, (e) => showError(e.message));
  $('cog-start').addEventListener('click', () => act('/v1/cognition/start'));
  $('cog-stop').addEventListener('click', () => act('/v1/cognition/stop'));
}

export function show() {
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, 5000);
  if (!stream) follow();
}

export function hide() {
  clearInterval(timer);
  if (stream) { stream.abort(); stream = null; }
}

function refresh() {
  getJson('/v1/cognition/status').then(status, () => { $('cog-status').textContent = 'unavailable on this gateway'; });
  getJson('/v1/swarm/lineage').then(lineage, () => {});
}

function status(s) {
  $('cog-status').textContent = `${s.running ? 'running' : 'stopped'} · ${s.persona_count} personas `
    + `(${s.active_persona_count} active) · ${s.events_buffered} events buffered`;
}

/** The persona tree: roots first, children nested, each with its status. */
function lineage(g) {
  const byId = new Map((g.nodes || []).map((n) => [n.persona_id, n]));
  const item = (id, depth) => {
    const n = byId.get(id);
    if (!n || depth > 32) return null;
    const kids = (n.children || []).map((c) => item(c, depth + 1)).filter(Boolean);
    return el('li', { role: 'treeitem', 'aria-expanded': kids.length ? 'true' : null },
      el('span', {}, n.persona_id), el('span', { class: 'muted' }, ` · ${String(n.status || '').toLowerCase()}`),
      kids.length ? el('ul', { role: 'group' }, kids) : null);
  };
  const roots = (g.roots || []).map((r) => item(r, 0)).filter(Boolean);
  $('lineage').replaceChildren(...(roots.length ? roots : [el('li', { class: 'muted' }, 'no personas')]));
}

function follow() {
  stream = new AbortController();
  const mine = stream;
  getStream('/v1/cognition/stream', (name, t) => {
    if (name !== 'cognition' || typeof t !== 'object') return;
    if (String(t.event_type || '').startsWith('persona_')) refresh(); // a persona spawned or was reaped
    const list = $('thoughts');
    list.prepend(el('li', {}, el('span', { class: 'time' }, String(t.timestamp || '').slice(11, 19)), ' ',
      el('strong', {}, t.event_type || ''), ' ', el('span', { class: 'muted' }, t.persona_id || ''), ' ',
      json(t.payload || {}).slice(0, 300)));
    while (list.children.length > MAX_THOUGHTS) list.lastChild.remove();
  }, mine.signal).catch(() => {}).finally(() => { if (stream === mine) setTimeout(() => { if (stream === mine) follow(); }, 3000); });
}
