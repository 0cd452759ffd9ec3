/**
 * A2A 0.3 at the edge: its JSON-RPC method names, and the converter between its wire shapes and the request
 * handler's 1.0 parameters and results. Nothing behind the handler knows 0.3.
 */
package run.codetether.gateway.api.a2a.v03;
