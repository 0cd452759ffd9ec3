// The page's copy of the task summaries, fed by the dashboard stream. Bounded: past MAX the oldest ended tasks
// are dropped, so however many tasks flow through an open page its memory and DOM stay the same size.
import { getStream, HttpError } from './api.js';

export const MAX = 2000;
const tasks = new Map();
const listeners = new Set();
let stats = null;
let controller = null;
let retry = 1000;

export function onChange(f) { listeners.add(f); }
export function get(id) { return tasks.get(id); }
export function all() { return tasks.values(); }
export function size() { return tasks.size; }
export function latestStats() { return stats; }

function notify(ids) { for (const f of listeners) f(ids); }

// Eviction sorts every kept task: it runs once per SLACK arrivals, not once per batch past MAX.
const SLACK = 200;

/** The lower-cased text the search box matches, built once per summary instead of once per keystroke or frame. */
function searchText(t) {
  return [t.id, t.title, t.model, t.provider, t.current_tool, t.last_text, t.state, t.kind]
    .filter((v) => v).join('\n').toLowerCase();
}

function put(list) {
  for (const t of list) {
    t.search_text = searchText(t);
    tasks.set(t.id, t);
  }
  if (tasks.size > MAX + SLACK) evict();
}

// ISO-8601 timestamps order as plain strings; localeCompare would be an ICU call per comparison.
function byUpdated(a, b) {
  const x = String(a.updated_at);
  const y = String(b.updated_at);
  return x < y ? -1 : x > y ? 1 : 0;
}

function evict() {
  const sorted = [...tasks.values()].sort((a, b) => (a.ended_at ? 0 : 1) - (b.ended_at ? 0 : 1) || byUpdated(a, b));
  for (let i = 0; tasks.size > MAX && i < sorted.length; i++) tasks.delete(sorted[i].id);
}

/** Connects the live stream (again); setLive(state) reports connecting / live / offline / denied. */
export function connect(setLive) {
  if (controller) controller.abort();
  controller = new AbortController();
  const mine = controller;
  setLive('connecting');
  getStream('/v1/dashboard/stream', (name, data) => {
    retry = 1000;
    if (name === 'snapshot') {
      tasks.clear();
      put(data.tasks || []);
      setLive('live');
      notify(null);
    } else if (name === 'tasks') {
      put(data.tasks || []);
      notify(new Set((data.tasks || []).map((t) => t.id)));
    } else if (name === 'stats') {
      stats = data;
      notify(new Set());
    }
  }, mine.signal).then(() => reconnect(mine, setLive), (e) => {
    if (e.name === 'AbortError') return;
    if (e instanceof HttpError && (e.status === 401 || e.status === 403)) { setLive('denied'); return; }
    reconnect(mine, setLive);
  });
}

function reconnect(mine, setLive) {
  if (mine !== controller) return;
  setLive('offline');
  setTimeout(() => { if (mine === controller) connect(setLive); }, retry);
  retry = Math.min(retry * 2, 15000);
}
