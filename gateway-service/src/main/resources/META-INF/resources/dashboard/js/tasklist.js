// The task list: filters, and a virtualised listbox that renders only the rows in view (a fixed pool of row
// elements), so thousands of tasks streaming through cost the same DOM as twenty.
import { $, el, fmtCost, fmtDuration, fmtTokens, duration } from './util.js';
import * as store from './store.js';

const ROW = 34;
const OVERSCAN = 6;
let rows = [];        // filtered, sorted summaries
let pool = [];        // row elements, reused
let selectedId = null;
let onOpen = () => {};
let scheduled = false;
let lastFilter = 0;
// With thousands of tasks streaming in, re-filtering on every batch would keep the main thread busy; list updates
// are coalesced to at most one per FILTER_GAP ms (typing in the filters is answered at once).
const FILTER_GAP = 300;

export function init(open) {
  onOpen = open;
  for (const id of ['search', 'state-filter', 'kind-filter', 'show-sub']) $(id).addEventListener('input', () => schedule(true));
  const list = $('task-list');
  list.addEventListener('scroll', paint, { passive: true });
  list.addEventListener('keydown', key);
  list.addEventListener('click', (e) => {
    const row = e.target.closest('.row');
    if (row && row.dataset.id) open(row.dataset.id);
  });
  window.addEventListener('resize', paint);
  store.onChange(() => schedule(false));
  setInterval(() => { if (!document.hidden) paint(); }, 1000); // running durations tick
}

export function select(id) {
  selectedId = id;
  const i = rows.findIndex((t) => t.id === id);
  if (i >= 0) ensureVisible(i);
  paint();
}

function schedule(now) {
  if (scheduled) return;
  scheduled = true;
  const wait = now ? 0 : Math.max(0, lastFilter + FILTER_GAP - performance.now());
  const run = () => requestAnimationFrame(() => { scheduled = false; lastFilter = performance.now(); filter(); paint(); });
  if (wait > 0) setTimeout(run, wait); else run();
}

function filter() {
  const q = $('search').value.trim().toLowerCase();
  const state = $('state-filter').value;
  const kind = $('kind-filter').value;
  const showSub = $('show-sub').checked || kind === 'subtask';
  const out = [];
  for (const t of store.all()) {
    if (!showSub && t.parent_id) continue;
    if (kind && t.kind !== kind) continue;
    if (state === 'active' ? !!t.ended_at || ['completed', 'failed', 'canceled', 'rejected'].includes(t.state)
      : state && t.state !== state) continue;
    if (q && !(t.search_text || '').includes(q)) continue;
    out.push(t);
  }
  out.sort((a, b) => { // newest first; ISO timestamps order as plain strings
    const x = String(a.updated_at);
    const y = String(b.updated_at);
    return x < y ? 1 : x > y ? -1 : 0;
  });
  rows = out;
  $('task-count').textContent = `(${rows.length} shown, ${store.size()} kept)`;
  const s = store.latestStats();
  if (s) {
    $('stats').textContent = `${s.active} active · ${s.input_required} waiting for input · `
      + `${s.started_per_second.toFixed(1)} started/s · ${s.finished_per_second.toFixed(1)} finished/s`;
  }
  $('task-list').querySelector('.vspacer').style.height = (rows.length * ROW) + 'px';
}

function paint() {
  const list = $('task-list');
  const first = Math.max(0, Math.floor(list.scrollTop / ROW) - OVERSCAN);
  const count = Math.ceil((list.clientHeight || 600) / ROW) + 2 * OVERSCAN;
  while (pool.length < count) {
    const r = el('div', { class: 'row', role: 'option', 'aria-selected': 'false' },
      el('span', { class: 'st' }), el('span', { class: 'ti' }), el('span', { class: 'mo' }),
      el('span', { class: 'num tk' }), el('span', { class: 'num co' }), el('span', { class: 'num du' }));
    list.append(r);
    pool.push(r);
  }
  for (let k = 0; k < pool.length; k++) {
    const r = pool[k];
    const i = first + k;
    const t = rows[i];
    if (!t || k >= count) { r.hidden = true; r.dataset.id = ''; continue; }
    r.hidden = false;
    r.style.transform = `translateY(${i * ROW}px)`;
    r.dataset.id = t.id;
    r.id = 'task-row-' + i;
    r.setAttribute('aria-selected', String(t.id === selectedId));
    r.setAttribute('aria-posinset', String(i + 1));
    r.setAttribute('aria-setsize', String(rows.length));
    const [st, ti, mo, tk, co, du] = r.children;
    st.textContent = t.state;
    st.className = 'st badge s-' + t.state;
    ti.textContent = (t.kind !== 'agent' ? `[${t.kind}] ` : '') + (t.title || t.id)
      + (t.current_tool ? ` · ${t.current_tool}` : '');
    ti.title = t.id;
    mo.textContent = t.model ? `${t.provider || ''}/${t.model}` : '';
    tk.textContent = fmtTokens((t.tokens_in || 0) + (t.tokens_out || 0));
    co.textContent = fmtCost(t.cost_usd, t.priced);
    du.textContent = fmtDuration(duration(t));
  }
  const active = rows.findIndex((t) => t.id === selectedId);
  if (active >= 0) list.setAttribute('aria-activedescendant', 'task-row-' + active);
  else list.removeAttribute('aria-activedescendant');
}

function ensureVisible(i) {
  const list = $('task-list');
  if (i * ROW < list.scrollTop) list.scrollTop = i * ROW;
  else if ((i + 1) * ROW > list.scrollTop + list.clientHeight) list.scrollTop = (i + 1) * ROW - list.clientHeight;
}

function key(e) {
  let i = rows.findIndex((t) => t.id === selectedId);
  if (e.key === 'ArrowDown') i = Math.min(rows.length - 1, i + 1);
  else if (e.key === 'ArrowUp') i = Math.max(0, i - 1);
  else if (e.key === 'Home') i = 0;
  else if (e.key === 'End') i = rows.length - 1;
  else if (e.key === 'Enter' && i >= 0) { onOpen(rows[i].id); e.preventDefault(); return; }
  else return;
  e.preventDefault();
  if (rows[i]) { selectedId = rows[i].id; ensureVisible(i); paint(); }
}

/** Rows of the list in the DOM (for the bounded-DOM check). */
export function domRows() { return pool.length; }
