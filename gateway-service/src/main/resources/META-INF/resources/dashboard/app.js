// CodeTether operator dashboard: an A2A 1.0 JSON-RPC client in the browser, fed live by SSE.
'use strict';
const $ = (id) => document.getElementById(id);
const endpoint = new URL('/', location.href).toString();
let rpcId = 0;
let selected = null;
let liveStream = null;

$('api-key').value = sessionStorage.getItem('codetether.key') || '';
$('api-key').addEventListener('change', () => { sessionStorage.setItem('codetether.key', $('api-key').value); refresh(); });

function headers(accept) {
  const h = { 'Content-Type': 'application/json', 'A2A-Version': '1.0', 'Accept': accept };
  const key = $('api-key').value.trim();
  if (key) h['Authorization'] = 'Bearer ' + key;
  return h;
}

function showError(message) { $('error').textContent = message || ''; }

async function rpc(method, params) {
  const response = await fetch(endpoint, { method: 'POST', headers: headers('application/json'),
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }) });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${body.error.message} (${body.error.code})`);
  return body.result;
}

// POST + text/event-stream: EventSource cannot POST, so frames are parsed from the fetch body.
async function stream(method, params, onResult, signal) {
  const response = await fetch(endpoint, { method: 'POST', headers: headers('text/event-stream'), signal,
    body: JSON.stringify({ jsonrpc: '2.0', id: ++rpcId, method, params }) });
  if (!(response.headers.get('content-type') || '').startsWith('text/event-stream')) {
    const body = await response.json();
    throw new Error(body.error ? `${method}: ${body.error.message}` : `${method}: no event stream`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, cut); buffer = buffer.slice(cut + 2);
      const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trimStart()).join('');
      if (!data) continue;
      const message = JSON.parse(data);
      if (message.error) throw new Error(message.error.message);
      onResult(message.result);
    }
  }
}

const stateName = (s) => (s || '').replace(/^TASK_STATE_/, '').toLowerCase().replace(/_/g, '-');
const partsText = (holder) => ((holder && holder.parts) || []).map((p) =>
  p.text !== undefined ? p.text : p.data !== undefined ? JSON.stringify(p.data) : `[file ${p.filename || p.url || ''}]`).join('');

function cell(row, text, cls) { const td = row.insertCell(); td.textContent = text; if (cls) td.className = cls; }

async function refresh() {
  try {
    const result = await rpc('ListTasks', { pageSize: 50 });
    const body = $('tasks').tBodies[0];
    body.innerHTML = '';
    for (const task of result.tasks || []) {
      const row = body.insertRow();
      const state = stateName(task.status && task.status.state);
      cell(row, task.id.slice(0, 12)); cell(row, state, 'state-' + state);
      cell(row, (task.contextId || '').slice(0, 12)); cell(row, (task.status && task.status.timestamp) || '');
      if (selected === task.id) row.className = 'selected';
      row.onclick = () => select(task.id);
    }
    showError('');
  } catch (e) { showError(e.message); }
}

function addEvent(text) { const li = document.createElement('li'); li.textContent = text; $('events').appendChild(li); }

function renderTask(task) {
  const state = stateName(task.status && task.status.state);
  $('detail-status').innerHTML = '';
  const p = document.createElement('p'); p.className = 'state-' + state;
  p.textContent = `${state} ${partsText(task.status && task.status.message)}`;
  $('detail-status').appendChild(p);
  $('cancel').disabled = ['completed', 'failed', 'canceled', 'rejected'].includes(state);
  $('artifacts').innerHTML = '';
  for (const artifact of task.artifacts || []) addArtifact(artifact);
}

function addArtifact(artifact) {
  const h = document.createElement('h4'); h.textContent = artifact.name || artifact.artifactId;
  const pre = document.createElement('pre'); pre.textContent = partsText(artifact);
  $('artifacts').append(h, pre);
}

function follow(method, params) {
  if (liveStream) liveStream.abort();
  liveStream = new AbortController();
  stream(method, params, (result) => {
    if (result.task) { selected = result.task.id; $('detail-id').textContent = result.task.id; renderTask(result.task); addEvent('task ' + stateName(result.task.status.state)); }
    if (result.statusUpdate) {
      const s = result.statusUpdate.status;
      addEvent(`[${stateName(s.state)}] ${partsText(s.message)}`);
      renderTask({ status: s, artifacts: [] });
    }
    if (result.artifactUpdate) { addArtifact(result.artifactUpdate.artifact); addEvent('artifact ' + (result.artifactUpdate.artifact.name || '')); }
    if (result.message) addEvent(partsText(result.message));
  }, liveStream.signal).then(refresh).catch((e) => { if (e.name !== 'AbortError') showError(e.message); });
}

async function select(id) {
  selected = id; $('events').innerHTML = ''; $('detail-id').textContent = id;
  try {
    const task = await rpc('GetTask', { id, historyLength: 20 });
    renderTask(task);
    for (const m of task.history || []) addEvent(`${m.role === 'ROLE_USER' ? 'user' : 'agent'}: ${partsText(m)}`);
    if (!$('cancel').disabled) follow('SubscribeToTask', { id });
  } catch (e) { showError(e.message); }
  refresh();
}

$('send-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const metadata = {};
  for (const k of ['provider', 'model', 'skill']) if ($(k).value) metadata[k] = $(k).value;
  $('events').innerHTML = ''; $('artifacts').innerHTML = '';
  follow('SendStreamingMessage', { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER',
    parts: [{ text: $('prompt').value }] }, metadata });
  $('prompt').value = '';
  setTimeout(refresh, 500);
});
$('refresh').onclick = refresh;
$('cancel').onclick = () => selected && rpc('CancelTask', { id: selected }).then(renderTask).catch((e) => showError(e.message));

// Cognition: thought events over SSE (GET), status polled.
async function cognition(path, method) {
  const h = headers('application/json');
  const response = await fetch(new URL(path, location.href), { method: method || 'GET', headers: h });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}
async function cognitionStatus() {
  try {
    const s = await cognition('/v1/cognition/status');
    $('cognition-status').textContent = `${s.running ? 'running' : 'stopped'}, ${s.persona_count} personas, ${s.events_buffered} events`;
  } catch (e) { $('cognition-status').textContent = 'unavailable'; }
}
$('cog-start').onclick = () => cognition('/v1/cognition/start', 'POST').then(cognitionStatus).catch((e) => showError(e.message));
$('cog-stop').onclick = () => cognition('/v1/cognition/stop', 'POST').then(cognitionStatus).catch((e) => showError(e.message));
if (window.EventSource) {
  const thoughts = new EventSource('/v1/cognition/stream');
  thoughts.addEventListener('cognition', (e) => {
    const t = JSON.parse(e.data);
    const li = document.createElement('li');
    li.textContent = `${t.event_type} ${t.persona_id || ''} ${JSON.stringify(t.payload).slice(0, 160)}`;
    $('thoughts').prepend(li);
    while ($('thoughts').children.length > 200) $('thoughts').lastChild.remove();
  });
}

fetch('/.well-known/agent-card.json').then((r) => r.json()).then((card) => { $('agent-name').textContent = `${card.name} ${card.version}`; }).catch(() => {});
refresh(); cognitionStatus(); setInterval(refresh, 5000); setInterval(cognitionStatus, 5000);
