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

    /**
     * As {@link #computeOnce(String, String, Supplier)}; {@code mutating} tells a store that guards against a
     * restart in the middle of a call ({@link StartMarkingResultStore}) which calls to guard.
     */
    default Outcome computeOnce(String sessionId, String callId, boolean mutating, Supplier<ToolResult> compute) {
        return computeOnce(sessionId, callId, compute);
    }

    void dropSession(String sessionId);

    /** Default: kept in this process, bounded per session (oldest calls forgotten first). */
    static ResultStore inMemory(int maxPerSession) {
        return new InMemoryResultStore(maxPerSession);
    }

}
