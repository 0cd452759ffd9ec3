package run.codetether.tools.domain;

import java.util.function.Supplier;

/**
 * Idempotency store: the result of (session, call id) is computed once; a repeat, even a concurrent one, gets the
 * stored result. Port with an in-memory default; a shared store would let replicas answer each other's repeats.
 */
public interface ResultStore {

    /** A stored or freshly computed result; {@code replayed} tells which. */
    record Outcome(ToolResult result, boolean replayed) {}

    Outcome computeOnce(String sessionId, String callId, Supplier<ToolResult> compute);

    void dropSession(String sessionId);

    /** Default: kept in this process, bounded per session (oldest calls forgotten first). */
    static ResultStore inMemory(int maxPerSession) {
        return new InMemoryResultStore(maxPerSession);
    }

}
