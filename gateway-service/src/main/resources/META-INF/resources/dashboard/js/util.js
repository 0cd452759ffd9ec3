// Small DOM and formatting helpers shared by the views.
export const $ = (id) => document.getElementById(id);

/** el('div', {class: 'x', onclick: f}, child, 'text', ...): an element; children are nodes or text (never HTML). */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

export const stateName = (s) => (s || '').replace(/^TASK_STATE_/, '').toLowerCase().replace(/_/g, '-');
export const ENDED = new Set(['completed', 'failed', 'canceled', 'rejected']);

export function fmtTokens(n) {
  if (!n) return '0';
  return n >= 1e6 ? (n / 1e6).toFixed(1) + 'M' : n >= 1e4 ? Math.round(n / 1e3) + 'k' : String(n);
}

/** Cost in USD; null means the model is not priced: shown as "unpriced", never as 0. */
export function fmtCost(usd, priced) {
  if (priced === false || usd === null || usd === undefined) return priced === false ? 'unpriced' : '–';
  return usd < 0.01 ? '$' + usd.toFixed(4) : '$' + usd.toFixed(2);
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined || ms < 0 || Number.isNaN(ms)) return '–';
  const s = ms / 1000;
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + 's';
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function duration(t) {
  const start = t.created_at ? Date.parse(t.created_at) : null;
  if (!start) return null;
  const end = t.ended_at ? Date.parse(t.ended_at) : Date.now();
  return end - start;
}

export function fmtValue(v, unit) {
  if (v === null || v === undefined) return '–';
  if (unit === 's') return v < 1 ? (v * 1000).toFixed(v < 0.01 ? 2 : 0) + ' ms' : v.toFixed(2) + ' s';
  if (unit === 'bytes') return (v / 1048576).toFixed(0) + ' MiB';
  if (unit === 'USD/h') return '$' + v.toFixed(4) + '/h';
  const s = Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
  return unit === '/s' ? s + '/s' : s;
}

/** All text of an A2A message or artifact; data parts as compact JSON. */
export function partsText(holder) {
  return ((holder && holder.parts) || []).map((p) =>
    p.text !== undefined ? p.text : p.data !== undefined ? JSON.stringify(p.data) : `[file ${p.filename || p.url || ''}]`).join('\n');
}

export function json(v) {
  if (typeof v === 'string') {
    try { return JSON.stringify(JSON.parse(v), null, 2); } catch (e) { return v; }
  }
  return JSON.stringify(v, null, 2);
}

let errorTimer = null;
export function showError(message) {
  const e = $('error');
  e.textContent = message || '';
  clearTimeout(errorTimer);
  if (message) errorTimer = setTimeout(() => { e.textContent = ''; }, 8000);
}
