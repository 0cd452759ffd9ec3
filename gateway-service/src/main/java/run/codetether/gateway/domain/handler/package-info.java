/**
 * The A2A request handler: one typed method per A2A 1.0 operation ({@link
 * run.codetether.gateway.domain.handler.A2ARequestHandler}), its core over the task engine, and the decorators that
 * wrap it (admission, tenant). Plain Java; every binding and the 0.3 converter call it.
 */
package run.codetether.gateway.domain.handler;
