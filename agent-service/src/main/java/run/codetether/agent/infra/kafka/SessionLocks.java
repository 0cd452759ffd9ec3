package run.codetether.agent.infra.kafka;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per session being loaded: loads of one session run one at a time, loads of two sessions never wait for
 * each other. Striped locks (256) made a load wait for an unrelated one that shared its stripe: with one tenant's 63
 * loads going, another tenant's load met one in about a quarter of the cases (issue 19). A lock lives while some
 * thread holds or waits for it, so the memory follows the loads in progress, not the sessions there are.
 * {@link ReentrantLock}s, because the holder blocks on the broker and may be a virtual thread (a monitor would pin it
 * to its carrier on JDK 21).
 */
final class SessionLocks {
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

    /** A session's lock, taken: {@link #unlock} once. */
    final class Held {
        private final String contextId;
        private final ReentrantLock lock = new ReentrantLock();
        private int users; // changed only inside the map's compute for its key

        private Held(String contextId) {
            this.contextId = contextId;
        }

        void unlock() {
            lock.unlock();
            held.computeIfPresent(contextId, (k, h) -> --h.users == 0 ? null : h);
        }
    }

    /** Takes the session's lock, waiting while another load of the same session holds it. */
    Held lock(String contextId) {
        Held h = held.compute(contextId, (k, known) -> {
            Held mine = known == null ? new Held(k) : known;
            mine.users++;
            return mine;
        });
        h.lock.lock();
        return h;
    }

    /** Sessions whose lock is held or awaited right now (tests: nothing is kept after the loads). */
    int size() {
        return held.size();
    }
}
