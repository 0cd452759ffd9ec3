// A task's timeline: model turns, tool calls (arguments, live output, result), messages, artifacts and the final
// state, built from A2A 1.0 stream items. Read-back events (the dashboard's timeline endpoint) and live events
// (SubscribeToTask) go through the same add(), which drops an item already shown.
import { el, json, partsText, stateName } from './util.js';
import { isDiffPart, renderDiff, downloadLink } from './diff.js';

const MAX_ENTRIES = 400;

export class Timeline {
  constructor(container, taskId) {
    this.root = container;
    this.taskId = taskId;
    this.seen = new Set();
    this.tools = new Map();     // call_id -> entry element parts
    this.streaming = null;      // the answer being streamed (its element)
    this.streamed = '';         // its text so far (kept after a status ends the element, for the closing chunk)
    this.streamedId = null;     // the artifact it belongs to
    this.count = 0;
    this.dropped = 0;
    this.list = el('ol', { class: 'timeline', 'aria-label': 'Timeline' });
    this.more = el('li', { class: 'muted', hidden: true });
    this.list.append(this.more);
    container.append(this.list);
  }

  /** @param item {statusUpdate}|{artifactUpdate}|{message}|{task}; at: ISO time if known */
  add(item, at) {
    const key = keyOf(item);
    if (key && this.seen.has(key)) return;
    if (key) this.seen.add(key);
    if (item.statusUpdate) this.status(item.statusUpdate, at);
    else if (item.artifactUpdate && isStreamed(item.artifactUpdate.artifact)) this.chunk(item.artifactUpdate, at);
    else if (item.artifactUpdate && closes(item.artifactUpdate)) this.close(item.artifactUpdate);
    else if (item.artifactUpdate) this.artifact(item.artifactUpdate.artifact);
    else if (item.message) this.message(item.message);
  }

  status(u, at) {
    const s = u.status || {};
    const state = stateName(s.state);
    const meta = u.metadata || {};
    const text = partsText(s.message);
    const time = (at || s.timestamp || '').slice(11, 19);
    const callId = meta.call_id;
    if (meta.tool && callId && meta.tool !== 'ralph') {
      // a model turn's own usage rides on the first update of the step that follows it (its first call's start)
      if (meta.usage && (meta.provider || meta.model)) this.turn(meta, time, 'working');
      let t = this.tools.get(callId);
      if (!t) {
        t = { args: el('pre', { class: 'args', hidden: true }), out: el('pre', { class: 'out', hidden: true }),
          res: el('div', { class: 'res' }) };
        this.tools.set(callId, t);
        this.push(el('li', { class: 'ev tool', 'data-tool': meta.tool },
          el('span', { class: 'time' }, time), el('span', { class: 'kind' }, 'tool'),
          el('strong', { class: 'tool-name' }, meta.tool), el('span', { class: 'muted' }, ' ' + callId),
          t.args, t.out, t.res));
      }
      if (meta.arguments !== undefined) { t.args.hidden = false; t.args.textContent = json(meta.arguments); }
      if (meta.output || meta.partial) { t.out.hidden = false; t.out.textContent = text; }
      if (meta.result !== undefined || meta.error !== undefined) {
        const r = meta.error !== undefined && meta.error !== null && meta.error !== false ? meta.error : meta.result;
        t.res.replaceChildren(typeof r === 'string' && isDiffPart({ text: r }) ? renderDiff(r)
          : el('pre', { class: meta.error ? 'bad' : '' }, typeof r === 'string' ? r : json(r)));
      }
      return;
    }
    if (this.streaming && text && (state === 'completed' || state === 'input-required')) {
      this.streaming.textContent = text; // the streamed preview becomes the answer as sent
      this.streaming.parentElement.querySelector('.kind').textContent = 'answer';
    }
    this.streaming = null;
    let kind = state;
    let label = text;
    if (meta.provider || meta.model) { kind = 'model'; label = `${meta.step ? 'turn ' + meta.step : 'started'} on ${meta.provider || ''}/${meta.model || ''}`; }
    else if (meta.ralph_event) kind = 'ralph';
    else if (meta.subtask_id || meta.phase) kind = 'swarm';
    else if (meta.tool === 'ralph') kind = 'ralph';
    else if (meta.step !== undefined && !text && state === 'working') { kind = 'model'; label = `turn ${meta.step}`; }
    const li = el('li', { class: 'ev s-' + state, 'data-kind': kind }, el('span', { class: 'time' }, time),
      el('span', { class: 'kind' }, kind), el('span', { class: 'text' }, label || state));
    if (meta.usage) li.append(usageText(meta.usage));
    if (meta.question) li.append(el('pre', {}, json(meta.question)));
    for (const p of (s.message && s.message.parts) || []) {
      if (p.data && p.data.approval_request) li.append(el('pre', {}, json(p.data.approval_request)));
    }
    this.push(li);
  }

  /** The "turn N on provider/model · usage" row of a model turn whose usage came on its step's first tool update. */
  turn(meta, time, state) {
    this.streaming = null; // as a turn's own status did: the streamed text of that turn ends here
    this.push(el('li', { class: 'ev s-' + state, 'data-kind': 'model' }, el('span', { class: 'time' }, time),
      el('span', { class: 'kind' }, 'model'),
      el('span', { class: 'text' }, `turn ${meta.step ?? ''} on ${meta.provider || ''}/${meta.model || ''}`),
      usageText(meta.usage)));
  }

  /**
   * A chunk of the answer as the model writes it (metadata.partial): only the new text, placed at its text_offset,
   * so a chunk seen twice (read back and live) does not repeat text.
   */
  chunk(u, at) {
    const a = u.artifact;
    const text = partsText(a);
    if (!this.streaming) {
      this.streaming = el('pre', { class: 'answer' });
      this.streamed = '';
      this.streamedId = a.artifactId;
      this.push(el('li', { class: 'ev stream' }, el('span', { class: 'time' }, (at || '').slice(11, 19)),
        el('span', { class: 'kind' }, 'answer…'), this.streaming));
    }
    const offset = typeof a.metadata.text_offset === 'number' ? a.metadata.text_offset : (u.append ? -1 : 0);
    if (offset < 0 || offset > this.streamed.length) this.streamed += text;
    else if (this.streamed.substr(offset, text.length) !== text) this.streamed = this.streamed.slice(0, offset) + text;
    this.streaming.textContent = this.streamed;
  }

  /**
   * The finished answer as the last chunk of what streamed (only the rest, at its text_offset): shown whole, as an
   * answer read back (or sent whole) is, and once (read back and live).
   */
  close(u) {
    const a = u.artifact;
    const offset = a.metadata.text_offset;
    if (this.streaming) this.chunk({ artifact: { ...a, metadata: { text_offset: offset } }, append: true });
    // a model turn's usage (its own status, or its step's first tool update) ends the streaming element before the answer closes it: the text it
    // streamed is still the start of this answer
    const streamed = this.streamedId === a.artifactId && this.streamed.length >= offset;
    const text = streamed ? this.streamed.slice(0, offset) + partsText(a) : partsText(a);
    const whole = { ...a, metadata: {}, parts: [{ text }] };
    const key = keyOf({ artifactUpdate: { artifact: whole } });
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.artifact(whole);
  }

  artifact(a) {
    const li = el('li', { class: 'ev artifact' }, el('span', { class: 'kind' }, 'artifact'),
      el('strong', {}, a.name || a.artifactId));
    for (const p of a.parts || []) {
      if (isDiffPart(p)) {
        li.append(downloadLink(p.text, `${this.taskId}.diff`), renderDiff(p.text));
      } else if (p.text !== undefined) li.append(el('pre', {}, p.text));
      else if (p.data !== undefined) li.append(dataView(p.data));
      else li.append(el('div', { class: 'muted' }, `file ${p.filename || p.url || ''}`));
    }
    this.push(li);
  }

  message(m) {
    const who = m.role === 'ROLE_USER' ? 'user' : 'agent';
    this.push(el('li', { class: 'ev msg ' + who }, el('span', { class: 'kind' }, who), el('pre', {}, partsText(m))));
  }

  push(li) {
    this.list.append(li);
    this.count++;
    // bounded: the oldest entries leave the DOM once the timeline is long (the download keeps the whole diff)
    while (this.list.children.length > MAX_ENTRIES + 1) {
      this.list.children[1].remove();
      this.dropped++;
    }
    if (this.dropped) { this.more.hidden = false; this.more.textContent = `${this.dropped} earlier events not shown`; }
    if (this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 80) this.root.scrollTop = this.root.scrollHeight;
  }
}

/** " · 1000 in / 10 out · $0.0006" (or "unpriced") of a usage metadata map. */
function usageText(usage) {
  const inT = usage.tokens_in ?? usage.inputTokens ?? 0;
  const outT = usage.tokens_out ?? usage.outputTokens ?? 0;
  const cost = usage.cost_usd ?? usage.costUsd;
  const priced = usage.priced ?? (cost !== null && cost !== undefined);
  return el('span', { class: 'muted' }, ` · ${inT} in / ${outT} out · ${priced ? '$' + Number(cost).toFixed(4) : 'unpriced'}`);
}

function dataView(data) {
  if (data && data.files_changed !== undefined) {
    const pushed = data.pushed ? ` · pushed ${data.pushed.branch} @ ${String(data.pushed.commit || '').slice(0, 10)}` : '';
    return el('p', { class: 'changes' }, `${data.files_changed} files changed, +${data.insertions} −${data.deletions} `
      + `against ${data.base_ref || ''} ${String(data.base_commit || '').slice(0, 10)}${pushed}`);
  }
  return el('pre', {}, json(data));
}

/** A chunk of an answer still streaming (A2A append chunks; the finished answer, without the mark, closes them). */
export function isStreamed(a) {
  return !!(a && a.metadata && a.metadata.partial);
}

/** The finished answer that closes the streamed chunks (append, at a text_offset, no partial mark). */
export function closes(u) {
  return !!(u.append && u.lastChunk && u.artifact && u.artifact.metadata
    && typeof u.artifact.metadata.text_offset === 'number' && !isStreamed(u.artifact));
}

function keyOf(item) {
  if (item.statusUpdate) {
    const s = item.statusUpdate.status || {};
    return 's|' + s.state + '|' + s.timestamp + '|' + canonical(item.statusUpdate.metadata || {})
      + '|' + ((s.message && s.message.messageId) || '');
  }
  if (item.artifactUpdate && isStreamed(item.artifactUpdate.artifact)) return null; // placed at its offset instead
  if (item.artifactUpdate && closes(item.artifactUpdate)) return null; // keyed once whole (close)
  if (item.artifactUpdate) {
    const a = item.artifactUpdate.artifact;
    return 'a|' + a.artifactId + '|' + !!item.artifactUpdate.append + '|' + JSON.stringify(a.parts).length;
  }
  if (item.message) return 'm|' + item.message.messageId;
  return null;
}

/** JSON with sorted keys: two replicas may order a map's keys differently. */
function canonical(v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  return JSON.stringify(v);
}
