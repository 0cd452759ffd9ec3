// The @a2a-js/sdk reference server with a trivial agent (submitted -> completed), for the side-by-side bench.
// Usage: node js-server.mjs <port>
import express from 'express';
import { DefaultRequestHandler, InMemoryTaskStore } from '@a2a-js/sdk/server';
import { jsonRpcHandler, restHandler, agentCardHandler, UserBuilder } from '@a2a-js/sdk/server/express';

const port = Number(process.argv[2] ?? 9099);
const card = {
  name: 'trivial', description: 'bench agent', version: '1.0.0',
  supportedInterfaces: [{ url: `http://127.0.0.1:${port}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0', tenant: '' },
    // the SDK answers a version only where the card names it (FrontDoorBench's 0.3 and HTTP+JSON rows)
    { url: `http://127.0.0.1:${port}/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '0.3', tenant: '' },
    { url: `http://127.0.0.1:${port}/rest`, protocolBinding: 'HTTP+JSON', protocolVersion: '1.0', tenant: '' }],
  capabilities: { streaming: true, pushNotifications: false, extensions: [] },
  defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'], skills: [], securitySchemes: {},
  securityRequirements: [], signatures: [],
};
class TrivialAgent {
  async execute(ctx, bus) {
    const task = { id: ctx.taskId, contextId: ctx.contextId, status: { state: 1, message: undefined, timestamp: undefined },
      artifacts: [], history: [ctx.userMessage], metadata: undefined };
    bus.publish({ kind: "task", data: task });
    bus.publish({ kind: "statusUpdate", data: { taskId: ctx.taskId, contextId: ctx.contextId, status: { state: 3, message: undefined, timestamp: undefined }, metadata: undefined } });
    bus.finished();
  }
  async cancelTask() {}
}
const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), new TrivialAgent());
const app = express();
app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: handler }));
// legacyCompat: the 0.3 method names (tasks/get), which FrontDoorBench compares with the gateway's 0.3 binding
app.use('/a2a', jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication,
  legacyCompat: { enabled: true } }));
// HTTP+JSON: GET /rest/tasks/:id (FrontDoorBench's REST row)
app.use('/rest', restHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
app.listen(port, '127.0.0.1', () => console.log(`js-a2a ready on ${port}`));
