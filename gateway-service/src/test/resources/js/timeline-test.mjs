// Runs the dashboard's timeline.js on a minimal DOM and checks what a task's events show.
// Usage: node timeline-test.mjs DASHBOARD_JS_DIR; prints "ok" and exits 0, or prints what failed and exits 1.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

class Node {
  constructor(tag) { this.tag = tag; this.nodes = []; this.attrs = {}; this.className = ''; this.hidden = false;
    this.parentElement = null; this.text = null; this.scrollHeight = 0; this.scrollTop = 0; this.clientHeight = 0; }
  append(...cs) {
    if (this.text !== null) { this.nodes = [textNode(this.text)]; this.text = null; }
    for (const c of cs) { const n = c instanceof Node ? c : textNode(String(c)); n.parentElement = this; this.nodes.push(n); }
  }
  replaceChildren(...cs) { this.nodes = []; this.text = null; this.append(...cs); }
  remove() { const p = this.parentElement; if (p) p.nodes = p.nodes.filter((n) => n !== this); }
  get children() { return this.nodes.filter((n) => n.tag !== '#text'); }
  get textContent() { return this.text !== null ? this.text : this.nodes.map((n) => n.textContent).join(''); }
  set textContent(v) { this.nodes = []; this.text = String(v); }
  setAttribute(k, v) { this.attrs[k] = String(v); }
  getAttribute(k) { return this.attrs[k]; }
  addEventListener() {}
  querySelector(sel) { return this.all().find((n) => matches(n, sel)) || null; }
  querySelectorAll(sel) { return this.all().filter((n) => matches(n, sel)); }
  all() { return this.children.flatMap((c) => [c, ...c.all()]); }
}
function textNode(t) { const n = new Node('#text'); n.text = t; return n; }
function matches(n, sel) { return sel.startsWith('.') && n.className.split(' ').includes(sel.slice(1)); }
globalThis.Node = Node;
globalThis.document = { createElement: (tag) => new Node(tag) };

const { Timeline } = await import(pathToFileURL(path.join(process.argv[2], 'timeline.js')).href);

const usage = { tokens_in: 1000, tokens_out: 10, cost_usd: 0.000625, priced: true };
const status = (metadata, state = 'TASK_STATE_WORKING', n = 0) =>
  ({ statusUpdate: { taskId: 't', status: { state, timestamp: `2026-12-06T07:00:0${n}Z` }, metadata } });

// a model turn's usage on its step's first tool update (the call's start, with its arguments)
const box = new Node('div');
const t = new Timeline(box, 't');
t.add(status({ step: 0, provider: 'p', model: 'm' }, 'TASK_STATE_WORKING', 1));
t.add({ artifactUpdate: { artifact: { artifactId: 'answer-t', name: 'answer', parts: [{ text: 'Let me look' }],
  metadata: { partial: true, step: 1, text_offset: 0 } } } });
t.add(status({ step: 1, provider: 'p', model: 'm', tool: 'read_file', call_id: 'c1', usage,
  arguments: { path: 'a.txt' } }, 'TASK_STATE_WORKING', 2));
t.add(status({ step: 1, tool: 'read_file', call_id: 'c1', result: 'A' }, 'TASK_STATE_WORKING', 3));
t.add(status({ step: 1, provider: 'p', model: 'm', tool: 'read_file', call_id: 'c1', usage,
  arguments: { path: 'a.txt' } }, 'TASK_STATE_WORKING', 2)); // read back and live: shown once
const rows = t.list.children.filter((li) => li.getAttribute('hidden') === undefined);
const kinds = rows.map((li) => li.getAttribute('data-kind') || li.className);
assert.deepEqual(kinds, ['model', 'ev stream', 'model', 'ev tool'], 'rows: ' + rows.map((r) => r.textContent).join(' | '));
assert.match(rows[2].textContent, /turn 1 on p\/m · 1000 in \/ 10 out · \$0\.0006/, 'the turn row with its usage');
assert.equal(rows[3].querySelector('.args').textContent.includes('a.txt'), true, 'the call row keeps its arguments');
assert.equal(rows[3].querySelector('.res').textContent, 'A', 'and its result');
assert.equal(t.streaming, null, 'the turn row ends the streamed text of that turn');

// a turn's own status (as the agent sends one where no tool update can carry it) is shown as before
const box2 = new Node('div');
const t2 = new Timeline(box2, 't2');
t2.add(status({ step: 2, provider: 'p', model: 'm', usage }, 'TASK_STATE_WORKING', 4));
const rows2 = t2.list.children.filter((li) => li.getAttribute('hidden') === undefined);
assert.equal(rows2.length, 1);
assert.match(rows2[0].textContent, /turn 2 on p\/m · 1000 in \/ 10 out/);

// a tool update without usage adds no turn row
const t3 = new Timeline(new Node('div'), 't3');
t3.add(status({ step: 1, tool: 'bash', call_id: 'c9', arguments: { command: 'ls' } }, 'TASK_STATE_WORKING', 5));
assert.deepEqual(t3.list.children.filter((li) => li.getAttribute('hidden') === undefined).map((li) => li.className), ['ev tool']);
console.log('ok');
