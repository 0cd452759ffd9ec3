package run.codetether.agent.domain.loop;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ends this worker published, per task (the state's name), newest {@link #LIMIT} kept: a redelivered command
 * of a task whose end went out from here (the usual redelivery: the offset commit after the run did not make it)
 * publishes nothing again. Forgetting costs only a repeated end, which readers ignore. Thread-safe.
 */
final class PublishedEnds {
    /** About 1 MB at ~100 bytes a task; a redelivery comes within a rebalance (seconds), thousands of tasks at most. */
    static final int LIMIT = 10_000;

    private final Map<String, String> ends = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > LIMIT;
        }
    };

    synchronized void add(String taskId, String state) {
        ends.remove(taskId); // re-inserted as the newest
        ends.put(taskId, state);
    }

    synchronized boolean were(String taskId, String state) {
        return state.equals(ends.get(taskId));
    }
}
