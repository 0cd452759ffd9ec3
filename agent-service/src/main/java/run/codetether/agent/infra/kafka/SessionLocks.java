package run.codetether.agent.infra.kafka;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per session, striped: a session always maps to the same lock, two sessions rarely share one, and the
 * memory is fixed however many sessions there are. {@link ReentrantLock}s, because the holder blocks on the broker and
 * may be a virtual thread (a monitor would pin it to its carrier on JDK 21).
 */
final class SessionLocks {
    private static final int STRIPES = 256;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    SessionLocks() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String contextId) {
        int h = contextId.hashCode();
        return locks[(h ^ (h >>> 16)) & (STRIPES - 1)];
    }
}
