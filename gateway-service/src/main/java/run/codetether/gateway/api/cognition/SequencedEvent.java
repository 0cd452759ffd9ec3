package run.codetether.gateway.api.cognition;

import run.codetether.contracts.cognition.ThoughtEvent;

/**
 * A thought event with its {@code cognition.events} offset. The offset is the SSE id: it is the same on every gateway
 * replica, so a client may resume on any of them with {@code Last-Event-ID}.
 */
record SequencedEvent(long offset, ThoughtEvent event) {}
