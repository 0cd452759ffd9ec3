// One task: header with live figures and operations (cancel, resubscribe, download the changes), the answer to
// an input request (a question or an approval), and tabs for the timeline, a swarm's sub-agents, Ralph's stories
// and the artifacts.
import { $, el, fmtCost, fmtDuration, fmtTokens, duration, partsText, stateName, showError, json, ENDED } from './util.js';
import { rpc, rpcStream, getJson } from './api.js';
import { Timeline, isStreamed, closes } from './timeline.js';
import { isDiffPart, downloadLink, renderDiff } from './diff.js';
import * as store from './store.js';

let current = null; // { id, task (A2A), timeline, stream (AbortController), tab }

export function taskId() { return current && current.id; }

export async function open(id) {
  close();
  const pane = $('detail');
  pane.replaceChildren();
  current = { id, tab: 'timeline', task: null, stream: null };
  const mine = current;
  pane.append(header(id), el('div', { id: 'input-box' }), tabs(), el('div', { id: 'tab-body', class: 'tab-body' }));
  document.body.classList.add('detail-open');
  mine.timeline = new Timeline($('tab-body'), id);
  refreshHead();
  try {
    mine.task = await rpc('GetTask', { id, historyLength: 50 });
  } catch (e) { showError(e.message); return; }
  if (mine !== current) return;
  renderInput();
  // live events wait until the past is shown, so the timeline stays in log order; an item in both is shown once
  mine.buffer = [];
  subscribe();
  try {
    const back = await getJson(`/v1/dashboard/tasks/${encodeURIComponent(id)}/timeline`);
    if (mine !== current) return;
    if (back.truncated) mine.timeline.push(el('li', { class: 'muted' }, 'earlier events are older than the log window read back'));
    for (const e of back.events) mine.timeline.add(e.item, e.at);
  } catch (e) {
    if (mine !== current) return;
    if (e.status !== 404) showError(e.message);
    for (const m of mine.task.history || []) mine.timeline.add({ message: m }); // the conversation, at least
  }
  const buffered = mine.buffer;
  mine.buffer = null;
  for (const r of buffered) onItem(mine, r);
  // an answer still streaming is in the timeline already (read back and live), placed chunk by chunk
  for (const a of mine.task.artifacts || []) if (!isStreamed(a)) mine.timeline.add({ artifactUpdate: { artifact: a } });
}

export function close() {
  if (current && current.stream) current.stream.abort();
  current = null;
  document.body.classList.remove('detail-open');
}

/** Live events of the open task through A2A SubscribeToTask (again, after the stream ended or broke). */
function subscribe() {
  const mine = current;
  if (!mine || !mine.task || ENDED.has(stateName(mine.task.status.state))) { liveBadge(false); return; }
  if (mine.stream) mine.stream.abort();
  mine.stream = new AbortController();
  liveBadge(true);
  rpcStream('SubscribeToTask', { id: mine.id }, (r) => onItem(mine, r), mine.stream.signal)
    .catch((e) => { if (e.name !== 'AbortError' && mine === current) showError(e.message); })
    .finally(() => { if (mine === current) liveBadge(false); });
}

function onItem(mine, r) {
  if (mine !== current) return;
  if (mine.buffer) { mine.buffer.push(r); return; }
  if (r.task) { mine.task = r.task; renderInput(); return; }
  if (r.statusUpdate) {
    mine.task = { ...mine.task, status: r.statusUpdate.status };
    renderInput();
  }
  if (r.artifactUpdate) {
    let a = r.artifactUpdate.artifact;
    const before = (mine.task.artifacts || []).find((x) => x.artifactId === a.artifactId);
    if (closes(r.artifactUpdate) && before) {
      // the finished answer closes the streamed text with its rest (text_offset: where the rest starts)
      a = { ...a, metadata: {}, parts: [{ text: partsText(before).slice(0, a.metadata.text_offset) + partsText(a) }] };
    } else if (r.artifactUpdate.append && before) a = { ...before, parts: [...(before.parts || []), ...(a.parts || [])] };
    mine.task = { ...mine.task, artifacts: [...(mine.task.artifacts || []).filter((x) => x.artifactId !== a.artifactId), a] };
    changesLink();
  }
  mine.timeline.add(r);
}

function liveBadge(on) {
  const b = $('detail-live');
  if (b) { b.textContent = on ? 'streaming' : 'not streaming'; b.className = 'live ' + (on ? 'on' : ''); }
}

function header(id) {
  return el('div', { class: 'detail-head' },
    el('div', { class: 'row' },
      el('button', { type: 'button', class: 'back', onclick: () => { location.hash = '#/tasks'; } }, '← list'),
      el('h2', { id: 'detail-title' }, 'Task ', el('code', {}, id)),
      el('span', { id: 'detail-live', class: 'live', role: 'status' }, '')),
    el('dl', { id: 'detail-figures', class: 'figures' }),
    el('div', { class: 'row ops' },
      el('button', { type: 'button', id: 'cancel', onclick: cancel }, 'Cancel task'),
      el('button', { type: 'button', id: 'resubscribe', onclick: resubscribe }, 'Resubscribe'),
      el('span', { id: 'changes-link' })));
}

async function cancel() {
  try {
    const task = await rpc('CancelTask', { id: current.id });
    current.task = task;
    renderInput();
    refreshHead();
  } catch (e) { showError(e.message); }
}

async function resubscribe() {
  try {
    current.task = await rpc('GetTask', { id: current.id, historyLength: 0 });
    renderInput();
    subscribe();
  } catch (e) { showError(e.message); }
}

/** The live figures of the open task, from the dashboard stream's summary. */
export function refreshHead() {
  if (!current) return;
  const t = store.get(current.id);
  const dl = $('detail-figures');
  if (!dl) return;
  const state = t ? t.state : current.task ? stateName(current.task.status.state) : '?';
  const items = [['state', el('span', { class: 'badge s-' + state }, state)]];
  if (t) {
    items.push(['kind', t.kind], ['model', t.model ? `${t.provider || ''}/${t.model}` : '–'],
      ['tokens', `${fmtTokens(t.tokens_in)} in / ${fmtTokens(t.tokens_out)} out`], ['cost', fmtCost(t.cost_usd, t.priced)],
      ['duration', fmtDuration(duration(t))], ['steps', String(t.steps || 0)], ['tool', t.current_tool || '–'],
      ['worker', t.worker_id || '–']);
    if (t.parent_id) items.push(['swarm', el('a', { href: '#/tasks/' + encodeURIComponent(t.parent_id) }, t.parent_id)]);
  }
  dl.replaceChildren(...items.map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v))));
  $('cancel').disabled = ENDED.has(state);
  $('tab-swarm').hidden = !(t && t.kind === 'swarm');
  $('tab-ralph').hidden = !(t && t.ralph);
  if (current.tab === 'swarm') renderSwarm();
  if (current.tab === 'ralph') renderRalph();
}

function tabs() {
  const mk = (name, label) => el('button', { type: 'button', role: 'tab', id: 'tab-' + name, 'aria-selected': String(name === 'timeline'),
    onclick: () => showTab(name) }, label);
  return el('div', { class: 'tablist', role: 'tablist', 'aria-label': 'Task views' },
    mk('timeline', 'Timeline'), mk('swarm', 'Sub-agents'), mk('ralph', 'Ralph'), mk('artifacts', 'Artifacts'));
}

function showTab(name) {
  current.tab = name;
  for (const b of document.querySelectorAll('.tablist [role=tab]')) b.setAttribute('aria-selected', String(b.id === 'tab-' + name));
  const body = $('tab-body');
  if (name === 'timeline') { body.replaceChildren(current.timeline.list); return; }
  if (name === 'swarm') renderSwarm();
  if (name === 'ralph') renderRalph();
  if (name === 'artifacts') renderArtifacts();
}

/** A swarm as a tree: stages, each sub-agent with its state, current tool, tokens and cost. */
function renderSwarm() {
  const t = store.get(current.id);
  const body = $('tab-body');
  if (!t) { body.replaceChildren(el('p', { class: 'muted' }, 'not a swarm this dashboard knows')); return; }
  const done = t.subtasks.filter((n) => ['completed', 'failed', 'skipped'].includes(n.status)).length;
  const root = el('ul', { class: 'tree', role: 'tree', 'aria-label': 'Swarm sub-agents' });
  const stages = new Map();
  for (const n of t.subtasks) {
    if (!stages.has(n.stage)) stages.set(n.stage, []);
    stages.get(n.stage).push(n);
  }
  for (const [stage, nodes] of [...stages.entries()].sort((a, b) => a[0] - b[0])) {
    const group = el('ul', { role: 'group' });
    for (const n of nodes) {
      const child = n.task_id ? store.get(n.task_id) : null;
      const state = n.status === 'dispatched' ? (child && !child.ended_at ? child.state : n.state || 'dispatched') : n.status;
      const tool = (child && child.current_tool) || n.current_tool;
      const tokens = (child && (child.tokens_in + child.tokens_out)) || (n.tokens_in + n.tokens_out);
      const cost = child && child.cost_usd != null ? child.cost_usd : n.cost_usd;
      group.append(el('li', { role: 'treeitem', class: 'agent', 'data-subtask': n.id, 'data-status': n.status },
        el('span', { class: 'badge s-' + state }, state), ' ',
        n.task_id ? el('a', { href: '#/tasks/' + encodeURIComponent(n.task_id) }, n.title || n.id) : el('span', {}, n.title || n.id),
        el('span', { class: 'muted' }, ` · attempt ${n.attempt || 0}${n.cached ? ' · cached' : ''}`
          + (tool ? ` · ${tool}` : '') + ` · ${fmtTokens(tokens)} tokens · ${fmtCost(cost, cost != null || tokens === 0 ? undefined : false)}`)));
    }
    root.append(el('li', { role: 'treeitem', 'aria-expanded': 'true' }, el('strong', {}, `stage ${stage}`), group));
  }
  body.replaceChildren(el('p', { id: 'swarm-progress' }, `${done}/${t.subtasks.length} sub-agents finished`),
    el('progress', { max: String(Math.max(1, t.subtasks.length)), value: String(done), 'aria-label': 'swarm progress' }), root);
}

/** Ralph: per-story status and the quality checks of each story's latest iteration. */
function renderRalph() {
  const t = store.get(current.id);
  const r = t && t.ralph;
  const body = $('tab-body');
  if (!r) { body.replaceChildren(el('p', { class: 'muted' }, 'no Ralph run in this task')); return; }
  const table = el('table', { class: 'grid' }, el('thead', {}, el('tr', {},
    el('th', { scope: 'col' }, 'story'), el('th', { scope: 'col' }, 'status'), el('th', { scope: 'col' }, 'iteration'),
    el('th', { scope: 'col' }, 'quality checks'))));
  const tb = el('tbody');
  for (const s of r.stories) {
    tb.append(el('tr', { 'data-story': s.id }, el('td', {}, `${s.id} ${s.title || ''}`),
      el('td', {}, el('span', { class: 'badge r-' + s.status }, s.status)), el('td', { class: 'num' }, String(s.iteration)),
      el('td', {}, ...s.checks.map((c) => el('span', { class: 'chip ' + (c.passed ? 'ok' : 'bad') }, `${c.name} ${c.passed ? '✓' : '✗'}`)))));
  }
  table.append(tb);
  body.replaceChildren(el('p', {}, `${r.status}: ${r.passed}/${r.total} stories pass · iteration ${r.iteration}/${r.max_iterations}`
    + (r.prd_path ? ` · ${r.prd_path}` : '')),
  el('progress', { max: String(Math.max(1, r.total)), value: String(r.passed), 'aria-label': 'stories passing' }), table);
}

function renderArtifacts() {
  const body = $('tab-body');
  const arts = (current.task && current.task.artifacts) || [];
  if (!arts.length) { body.replaceChildren(el('p', { class: 'muted' }, 'no artifacts yet')); return; }
  body.replaceChildren(...arts.map((a) => el('section', { class: 'card' }, el('h3', {}, a.name || a.artifactId),
    ...(a.parts || []).map((p) => isDiffPart(p) ? renderDiff(p.text) : el('pre', {}, p.text !== undefined ? p.text : json(p.data || p))))));
}

/** Input required: a question (free text) or an approval request (approve / deny / approve all). */
function renderInput() {
  const box = $('input-box');
  if (!box || !current.task) return;
  const status = current.task.status || {};
  const state = stateName(status.state);
  refreshHead();
  changesLink();
  if (state !== 'input-required') { box.replaceChildren(); return; }
  const msg = status.message || {};
  const approval = (msg.parts || []).map((p) => p.data && p.data.approval_request).find(Boolean);
  if (approval) {
    const decide = (decision) => answer([{ data: { approval: { call_id: approval.call_id, decision } } }]);
    box.replaceChildren(el('div', { class: 'card ask', role: 'group', 'aria-label': 'Approval request' },
      el('h3', {}, `Approve ${approval.tool}?`), el('p', {}, approval.reason || partsText({ parts: (msg.parts || []).filter((p) => p.text) })),
      el('pre', { class: 'args' }, json(approval.arguments || {})),
      approval.preview ? renderDiff(approval.preview) : '',
      el('div', { class: 'row' },
        el('button', { type: 'button', id: 'approve', onclick: () => decide('approve') }, 'Approve'),
        el('button', { type: 'button', id: 'deny', onclick: () => decide('deny') }, 'Deny'),
        el('button', { type: 'button', id: 'approve-all', onclick: () => decide('approve_all') }, 'Approve all for this task'))));
    return;
  }
  const input = el('textarea', { id: 'answer', rows: '2', 'aria-label': 'Your answer' });
  const form = el('form', { class: 'card ask', 'aria-label': 'Answer the agent' },
    el('h3', {}, 'The agent asks'), el('p', { id: 'question' }, partsText(msg) || 'input required'), input,
    el('div', { class: 'row' }, el('button', { type: 'submit', id: 'send-answer' }, 'Send answer')));
  form.addEventListener('submit', (e) => { e.preventDefault(); if (input.value.trim()) answer([{ text: input.value }]); });
  box.replaceChildren(form);
  input.focus();
}

/** A follow-up message on the same task; its stream continues the timeline. */
async function answer(parts) {
  const mine = current;
  const t = mine.task;
  $('input-box').replaceChildren(el('p', { class: 'muted' }, 'sent; waiting for the agent…'));
  if (mine.stream) mine.stream.abort();
  mine.stream = new AbortController();
  liveBadge(true);
  rpcStream('SendStreamingMessage', { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER', taskId: t.id,
    contextId: t.contextId, parts } }, (r) => onItem(mine, r), mine.stream.signal)
    .catch((e) => { if (e.name !== 'AbortError') { showError(e.message); renderInput(); } })
    .finally(() => { if (mine === current) liveBadge(false); });
}

function changesLink() {
  const span = $('changes-link');
  if (!span) return;
  const changes = ((current.task && current.task.artifacts) || []).find((a) => a.name === 'changes');
  const diff = changes && (changes.parts || []).find(isDiffPart);
  span.replaceChildren(diff ? downloadLink(diff.text, `${current.id}.diff`) : '');
}
