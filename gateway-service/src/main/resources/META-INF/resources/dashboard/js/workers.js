// Connected workers and their codebases (worker mode). A gateway without worker mode answers 404: the page says so
// and shows nothing else, never made-up rows.
import { $, el } from './util.js';
import { getJson } from './api.js';

export function show() {
  table('/v1/workers', 'workers', (w) => [w.name || w.id, (w.codebases || []).map((c) => c.name || c).join(', '),
    w.auto_approve || '', w.connected_since || '', w.gateway_replica || ''], ['worker', 'codebases', 'auto-approve', 'since', 'replica']);
  table('/v1/codebases', 'codebases', (c) => [c.name, c.worker || '', c.git_remote || '', c.git_branch || '', c.connected_since || ''],
    ['codebase', 'worker', 'remote', 'branch', 'since']);
}

function table(path, key, row, heads) {
  const box = $(key);
  box.replaceChildren(el('p', { class: 'muted' }, 'loading…'));
  getJson(path).then((body) => {
    const items = body[key] || [];
    if (!items.length) { box.replaceChildren(el('p', { class: 'muted' }, `no ${key} connected`)); return; }
    box.replaceChildren(el('table', { class: 'grid' },
      el('thead', {}, el('tr', {}, ...heads.map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...items.map((i) => el('tr', {}, ...row(i).map((v) => el('td', {}, String(v))))))));
  }, (e) => {
    box.replaceChildren(el('p', { class: e.status === 404 ? 'muted unavailable' : 'bad' },
      e.status === 404 ? `Not available on this gateway (${path} answers 404: worker mode is not deployed here).` : e.message));
  });
}
