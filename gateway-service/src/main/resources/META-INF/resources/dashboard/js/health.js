// Health and capacity: readiness of every service, Kafka consumer lag, and small charts of the figures the
// services export (a figure no service exports is listed as such, never drawn as zero).
import { $, el, fmtCost, fmtTokens, fmtValue, showError } from './util.js';
import { getJson } from './api.js';
import uPlot from '../vendor/uplot/uPlot.esm.js';

// [figure, label, second figure, its label, fallback figure when the first is not exported]
const CHARTS = [
  ['tasks_finished_per_second', 'tasks finished/s', 'tasks_started_per_second', 'started/s'],
  ['model_call_p50', 'model call p50 (s)', 'model_call_p99', 'p99', 'model_call_mean'],
  ['tool_call_p50', 'tool call p50 (s)', 'tool_call_p99', 'p99', 'tool_call_mean'],
  ['kafka_lag_total', 'Kafka lag (records)'],
  ['sandbox_command_p50', 'sandbox command p50 (s)', 'sandbox_command_p99', 'p99', 'sandbox_command_mean'],
  ['admission_rejections', 'admission rejections/s'],
  ['router_route_per_second', 'router routes/s'],
  ['tokens_per_second', 'tokens/s'],
];
let timer = null;
const plots = new Map();

export function show() { refresh(); clearInterval(timer); timer = setInterval(refresh, 5000); }
export function hide() { clearInterval(timer); }

async function refresh() {
  let h;
  try { h = await getJson('/v1/dashboard/health'); } catch (e) { showError(e.message); return; }
  $('health-at').textContent = 'as of ' + String(h.at || '').slice(11, 19);
  $('services').tBodies[0].replaceChildren(...h.services.map((s) => el('tr', { 'data-service': s.name },
    el('th', { scope: 'row' }, s.name), el('td', {}, el('span', { class: 'badge h-' + s.status }, s.status)),
    el('td', {}, s.error ? el('span', { class: 'bad' }, s.error) : s.checks.map((c) => `${c.name} ${c.status}`).join(', ')),
    el('td', { class: 'num' }, String(s.millis)))));
  const lag = h.kafka || { groups: [] };
  $('lag').tBodies[0].replaceChildren(...lag.groups.map((g) => el('tr', {}, el('td', {}, g.group), el('td', {}, g.topic),
    el('td', { class: 'num' }, String(g.lag)))));
  $('lag-error').textContent = lag.error || '';
  const figures = new Map(h.figures.map((f) => [f.key, f]));
  $('figures').tBodies[0].replaceChildren(...h.figures.map((f) => el('tr', { class: f.exported ? '' : 'absent', 'data-figure': f.key },
    el('th', { scope: 'row' }, f.label), el('td', {}, f.service), el('td', { class: 'num' }, f.exported ? fmtValue(f.value, f.unit) : 'not exported'),
    el('td', { class: 'muted' }, f.note || ''))));
  charts(h.series, figures);
  spend();
}

// Cost per tenant per day from GET /v1/stats (the tenants this key may read); unknown cost is "unpriced", never $0.
async function spend() {
  const to = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 6 * 86400000).toISOString().slice(0, 10);
  let s;
  try { s = await getJson('/v1/stats', { from, to }); } catch (e) {
    $('spend').tBodies[0].replaceChildren();
    $('spend-note').textContent = e.message;
    return;
  }
  const days = [...s.days].reverse(); // newest first
  $('spend').tBodies[0].replaceChildren(...days.map((d) => el('tr', { 'data-day': d.day, 'data-tenant': d.tenant },
    el('td', {}, d.day), el('td', {}, d.tenant), el('td', { class: 'num' }, String(d.tasks)),
    el('td', { class: 'num' }, fmtTokens(d.tokens_in)),
    el('td', { class: 'num' }, fmtTokens(d.tokens_out)),
    el('td', { class: 'num' }, fmtCost(d.cost_usd, d.cost_usd != null)
      + (d.cost_usd != null && d.unpriced_calls > 0 ? ` (+${d.unpriced_calls} unpriced calls)` : '')))));
  $('spend-note').textContent = days.length ? '' : 'no model calls in these days';
}

function charts(series, figures) {
  const box = $('charts');
  for (const [first, firstLabel, second, secondLabel, fallback] of CHARTS) {
    let [key, label, key2, label2] = [first, firstLabel, second, secondLabel];
    let f = figures.get(key);
    if ((!f || !f.exported) && fallback && figures.get(fallback) && figures.get(fallback).exported) {
      // no quantiles exported: chart the mean, and say so
      f = figures.get(fallback);
      [key, label, key2] = [fallback, `${f.label} (s; p50/p99 not exported)`, undefined];
    }
    let card = box.querySelector(`[data-chart="${first}"]`);
    if (!card) {
      card = el('figure', { class: 'card chart', 'data-chart': first }, el('figcaption'), el('div', { class: 'plot' }),
        el('p', { class: 'muted note' }));
      box.append(card);
    }
    card.querySelector('figcaption').textContent = label;
    const note = card.querySelector('.note');
    if (!f || !f.exported) {
      note.textContent = 'not exported yet: ' + ((f && f.note) || 'no service reports it');
      card.classList.add('absent');
      continue;
    }
    card.classList.remove('absent');
    note.textContent = `now ${fmtValue(f.value, f.unit)} · ${f.note || f.service}`;
    const t = (series.t || []).map((x) => x / 1000);
    const data = [t, (series.values[key] || []).map((v) => v ?? null)];
    const opts = { width: Math.max(240, card.clientWidth - 24), height: 110, legend: { show: false },
      scales: { x: { time: true } }, axes: [{ stroke: '#9fb0c0', grid: { stroke: '#1f2a36' } }, { stroke: '#9fb0c0', grid: { stroke: '#1f2a36' }, size: 50 }],
      series: [{}, { label, stroke: '#22d3ee', width: 2 }] };
    if (key2) { data.push((series.values[key2] || []).map((v) => v ?? null)); opts.series.push({ label: label2, stroke: '#f59e0b', width: 2 }); }
    let p = plots.get(first);
    if (!p || p.series.length !== opts.series.length || p.key !== key) {
      if (p) p.destroy();
      const host = card.querySelector('.plot');
      host.replaceChildren();
      p = new uPlot(opts, data, host);
      p.key = key;
      plots.set(first, p);
    } else p.setData(data);
  }
}
