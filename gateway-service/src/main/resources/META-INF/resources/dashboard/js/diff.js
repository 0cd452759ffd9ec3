// Unified diffs rendered as diffs: file headers, hunks, added and removed lines, each line one element.
import { el } from './util.js';

export function looksLikeDiff(text) {
  return typeof text === 'string' && /^(diff --git |--- |\+\+\+ |@@ )/m.test(text) && /^@@ /m.test(text);
}

export function isDiffPart(p) {
  return p && p.text !== undefined && (p.mediaType === 'text/x-diff'
    || (p.metadata && (p.metadata.mediaType === 'text/x-diff' || p.metadata.media_type === 'text/x-diff'))
    || looksLikeDiff(p.text));
}

const MAX_LINES = 4000;

export function renderDiff(text) {
  const lines = text.split('\n');
  const pre = el('pre', { class: 'diff', role: 'region', 'aria-label': 'diff', tabindex: '0' });
  for (const line of lines.slice(0, MAX_LINES)) {
    let cls = 'ctx';
    if (line.startsWith('diff --git') || line.startsWith('index ') || line.startsWith('--- ') || line.startsWith('+++ ')
      || line.startsWith('new file') || line.startsWith('deleted file') || line.startsWith('rename ')
      || line.startsWith('similarity') || line.startsWith('GIT binary patch')) cls = 'file';
    else if (line.startsWith('@@')) cls = 'hunk';
    else if (line.startsWith('+')) cls = 'add';
    else if (line.startsWith('-')) cls = 'del';
    pre.append(el('span', { class: 'dl ' + cls }, line + '\n'));
  }
  if (lines.length > MAX_LINES) pre.append(el('span', { class: 'dl file' }, `… ${lines.length - MAX_LINES} more lines (download the diff)`));
  return pre;
}

/** A download link for a diff (the changes artifact), as a file the user can `git apply`. */
export function downloadLink(text, name) {
  const a = el('a', { class: 'button', download: name, href: URL.createObjectURL(new Blob([text], { type: 'text/x-diff' })) },
    'Download ' + name);
  return a;
}
