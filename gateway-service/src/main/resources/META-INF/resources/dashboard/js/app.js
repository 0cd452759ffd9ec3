// CodeTether operator dashboard: views behind hash routes, one live task stream, A2A for every task operation.
import { $, showError } from './util.js';
import { credential, setCredential, getJson, rpc } from './api.js';
import * as store from './store.js';
import * as tasklist from './tasklist.js';
import * as detail from './detail.js';
import * as cognition from './cognition.js';
import * as workers from './workers.js';
import * as health from './health.js';
import { login, completeLogin } from './oidc.js';

const VIEWS = ['tasks', 'new', 'cognition', 'workers', 'health'];
let config = { auth: { open: false } };
let view = null;

function setLive(state) {
  const live = $('live');
  live.textContent = { live: 'live', connecting: 'connecting…', offline: 'offline, retrying', denied: 'not signed in' }[state] || state;
  live.className = 'live ' + (state === 'live' ? 'on' : state === 'denied' ? 'bad' : '');
}

async function whoami() {
  try {
    const me = await getJson('/v1/dashboard/me');
    $('whoami').textContent = me.anonymous ? 'open gateway' : 'signed in as ' + me.client_id;
    return true;
  } catch (e) {
    $('whoami').textContent = e.status === 401 ? 'enter an API key' + (config.auth.oidc ? ' or log in' : '') : e.message;
    return false;
  }
}

async function authenticate() {
  await whoami();
  store.connect(setLive);
}

function route() {
  const [, name, id] = (location.hash || '#/tasks').split('/');
  const next = VIEWS.includes(name) ? name : 'tasks';
  if (view !== next) {
    if (view === 'cognition') cognition.hide();
    if (view === 'health') health.hide();
    view = next;
    for (const v of VIEWS) $('view-' + v).hidden = v !== next;
    for (const a of document.querySelectorAll('.tabs a')) {
      if (a.dataset.view === next) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    if (next === 'cognition') cognition.show();
    if (next === 'workers') workers.show();
    if (next === 'health') health.show();
  }
  if (next === 'tasks') {
    const taskId = id ? decodeURIComponent(id) : null;
    if (taskId && taskId !== detail.taskId()) { tasklist.select(taskId); detail.open(taskId); }
    if (!taskId && detail.taskId()) { detail.close(); $('detail').replaceChildren(); }
  }
}

async function start() {
  $('api-key').value = credential();
  try { config = await getJson('/v1/dashboard/config'); } catch (e) { showError(e.message); }
  if (config.auth.oidc) {
    $('login').hidden = false;
    $('login').addEventListener('click', () => login(config.auth.oidc).catch((e) => showError(e.message)));
    try {
      const token = await completeLogin();
      if (token) { setCredential(token); $('api-key').value = token; }
    } catch (e) { showError(e.message); }
  }
  $('auth').addEventListener('submit', (e) => {
    e.preventDefault();
    setCredential($('api-key').value.trim());
    authenticate();
  });
  $('tenant').addEventListener('change', () => store.connect(setLive));
  tasklist.init((id) => { location.hash = '#/tasks/' + encodeURIComponent(id); });
  cognition.init();
  store.onChange((ids) => { if (detail.taskId() && (ids === null || ids.has(detail.taskId()) || ids.size === 0)) detail.refreshHead(); });
  $('send-form').addEventListener('submit', send);
  window.addEventListener('hashchange', route);
  route();
  authenticate();
}

async function send(event) {
  event.preventDefault();
  const metadata = {};
  for (const k of ['provider', 'model', 'skill']) if ($(k).value.trim()) metadata[k] = $(k).value.trim();
  try {
    const result = await rpc('SendMessage', { message: { messageId: crypto.randomUUID(), role: 'ROLE_USER',
      parts: [{ text: $('prompt').value }], metadata }, configuration: { returnImmediately: true } });
    const task = result.task || result;
    $('prompt').value = '';
    location.hash = '#/tasks/' + encodeURIComponent(task.id);
  } catch (e) { showError(e.message); }
}

start();
