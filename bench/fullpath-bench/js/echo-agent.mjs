// The @a2a-js/sdk 1.3.0 reference server with the trivial in-process echo agent the full-path bench compares the
// gateway against: each task is submitted, gets one artifact (the user's text) and completes; tasks live in the SDK's
// InMemoryTaskStore, no auth. Usage: node echo-agent.mjs <port>   (loopback only)
import express from 'express';
import { DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { jsonRpcHandler, agentCardHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node echo-agent.mjs <port>');
  process.exit(2);
}
const card = {
  name: 'echo', description: 'full-path bench: the JS SDK trivial echo agent', version: '1.0.0',
  supportedInterfaces: [{ url: `http://127.0.0.1:${port}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' }],
  capabilities: { streaming: true, pushNotifications: false, extensions: [] },
  defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'], skills: [], securitySchemes: {},
  securityRequirements: [], signatures: [],
};
const SUBMITTED = 1, COMPLETED = 3; // TaskState numbers of the SDK's internal (proto) types

class EchoAgent {
  async execute(ctx, bus) {
    const text = (ctx.userMessage.parts ?? []).map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    bus.publish({ kind: 'task', data: { id: ctx.taskId, contextId: ctx.contextId,
      status: { state: SUBMITTED, message: undefined, timestamp: undefined }, artifacts: [], history: [ctx.userMessage],
      metadata: undefined } });
    bus.publish({ kind: 'artifactUpdate', data: { taskId: ctx.taskId, contextId: ctx.contextId, append: false,
      lastChunk: true, metadata: undefined, artifact: { artifactId: 'answer', name: '', description: '', metadata: undefined,
        extensions: [], parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: '' }] } } });
    bus.publish({ kind: 'statusUpdate', data: { taskId: ctx.taskId, contextId: ctx.contextId,
      status: { state: COMPLETED, message: undefined, timestamp: undefined }, metadata: undefined } });
    bus.finished();
  }
  async cancelTask() {}
}

const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new EchoAgent());
const app = express();
app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
app.use('/a2a', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
app.listen(port, '127.0.0.1', () => console.log(`JS-SDK READY ${port}`));
