package run.codetether.agent.infra.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each recently saved or loaded session's log stands ({@link SessionLogHead}), so the next save can write a
 * delta after it; the 4,096 most recently used, since a missing head only makes the next save a snapshot. The lock is
 * held for the map operation only.
 */
final class SessionHeads {
    private final Map<String, SessionLogHead> heads = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SessionLogHead> eldest) {
            return size() > 4_096;
        }
    };

    SessionLogHead get(String contextId) {
        synchronized (heads) {
            return heads.get(contextId);
        }
    }

    void set(String contextId, SessionLogHead head) {
        synchronized (heads) {
            heads.put(contextId, head);
        }
    }

    void drop(String contextId) {
        synchronized (heads) {
            heads.remove(contextId);
        }
    }
}
