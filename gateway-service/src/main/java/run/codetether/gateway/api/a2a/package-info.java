/**
 * The A2A bindings: JSON-RPC 2.0 (with SSE) and the agent cards, the 1.0 codec ({@code V10Decoder} /
 * {@code V10Encoder}: pure functions between A2A 1.0 JSON and the handler's typed records) and the operations
 * table over the request handler; HTTP+JSON in {@code rest}, gRPC in {@code grpc}, 0.3 in {@code v03}.
 */
package run.codetether.gateway.api.a2a;
