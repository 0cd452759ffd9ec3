// Drives the gateway with the official A2A JS SDK client (@a2a-js/sdk, installed by the test into target/).
// Usage: node a2a-js-client.mjs <baseUrl> <apiKey>. Prints one JSON line of results; exits 1 on any failure.
import { randomUUID } from 'node:crypto';
import { ClientFactory } from '@a2a-js/sdk/client';

const [base, key] = process.argv.slice(2);
const opts = { serviceParameters: { Authorization: `Bearer ${key}`, 'A2A-Version': '1.0' } };
const ROLE_USER = 1;
const COMPLETED = 3;
const CANCELED = 5;
const message = (text) => ({
  messageId: randomUUID(), contextId: '', taskId: '', role: ROLE_USER,
  parts: [{ content: { $case: 'text', value: text } }], metadata: undefined, extensions: [], referenceTaskIds: [],
});
const request = (text, returnImmediately = false) => ({
  tenant: '', message: message(text), metadata: undefined,
  configuration: { acceptedOutputModes: [], taskPushNotificationConfig: undefined, returnImmediately },
});
const check = (cond, what) => { if (!cond) { throw new Error(`check failed: ${what}`); } };

const out = {};
const client = await new ClientFactory().createFromUrl(base);
const task = await client.sendMessage(request('echo from js'), opts);
check(task.status?.state === COMPLETED, `blocking send completed (got ${JSON.stringify(task.status)})`);
out.sendState = task.status.state;
out.artifactText = task.artifacts?.[0]?.parts?.[0]?.content?.value;
check(out.artifactText === 'echo: echo from js', 'artifact text');
const got = await client.getTask({ tenant: '', id: task.id, historyLength: undefined }, opts);
check(got.id === task.id, 'getTask id');
const kinds = [];
for await (const ev of client.sendMessageStream(request('chunks 2'), opts)) {
  kinds.push(ev.id ? 'task' : ev.kind ?? Object.keys(ev).find((k) => ev[k]) ?? 'unknown');
}
out.streamEvents = kinds.length;
check(kinds.length === 5, `stream length 5 (got ${kinds.length}: ${kinds})`);
const hanging = await client.sendMessage(request('hang', true), opts);
const canceled = await client.cancelTask({ tenant: '', id: hanging.id, metadata: undefined }, opts);
check(canceled.status?.state === CANCELED, 'cancel');
let notFound = false;
try {
  await client.getTask({ tenant: '', id: 'no-such-task', historyLength: undefined }, opts);
} catch (e) {
  notFound = true;
  out.notFoundError = String(e?.message ?? e).slice(0, 120);
}
check(notFound, 'unknown task is an error');
console.log(JSON.stringify(out));
