package run.codetether.contracts.worker;

import java.time.Instant;
import run.codetether.contracts.events.Required;

/**
 * A tool call for a worker, from agent-service to whichever gateway replica holds the worker's stream
 * ({@link run.codetether.contracts.events.Topics#WORKERS_CALLS}, key: {@link #workerId}). Sending the same
 * {@link #callKey} again (after a reconnect, a replica's death or a worker restart) never runs the call twice: the
 * worker answers a repeat from its own store.
 *
 * @param kind execute | preview | cancel
 * @param codebase the codebase's name on the worker
 * @param replyTo the agent instance that waits for the answer (the key of its reply)
 */
public record WorkerCallRequest(String callKey, String workerId, String codebase, String kind, String tool,
        String argumentsJson, long timeoutMs, boolean stream, String replyTo, Instant sentAt) {
    public static final String EXECUTE = "execute";
    public static final String PREVIEW = "preview";
    public static final String CANCEL = "cancel";

    public WorkerCallRequest {
        Required.text(callKey, "callKey");
        Required.text(workerId, "workerId");
        Required.text(kind, "kind");
        Required.text(replyTo, "replyTo");
        if (!kind.equals(EXECUTE) && !kind.equals(PREVIEW) && !kind.equals(CANCEL)) {
            throw new IllegalArgumentException("kind must be execute, preview or cancel, not " + kind);
        }
        argumentsJson = argumentsJson == null ? "{}" : argumentsJson;
        sentAt = sentAt == null ? Instant.now() : sentAt;
    }
}
