package run.codetether.gateway.domain;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few recently read or finished tasks a replica keeps in memory beside the ones in progress, least recently
 * used first out: bounded by a count and by an estimate of their bytes ({@link TaskSize}), so a burst of large
 * finished tasks cannot take the heap. Thread-safe.
 */
public final class TaskCache {
    private final int maxTasks;
    private final long maxBytes;
    private final LinkedHashMap<String, Cached> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    private record Cached(TaskView.Versioned value, long bytes) {}

    /**
     * @param maxTasks most tasks kept (0: none)
     * @param maxBytes most estimated bytes kept; a task larger than this is never cached
     */
    public TaskCache(int maxTasks, long maxBytes) {
        if (maxTasks < 0 || maxBytes < 0) {
            throw new IllegalArgumentException("task cache limits must not be negative: max-tasks " + maxTasks
                    + ", max-bytes " + maxBytes);
        }
        this.maxTasks = maxTasks;
        this.maxBytes = maxBytes;
    }

    public synchronized TaskView.Versioned get(String taskId) {
        Cached c = entries.get(taskId);
        return c == null ? null : c.value();
    }

    public synchronized void put(TaskView.Versioned value) {
        remove(value.task().id());
        long size = TaskSize.of(value.task());
        if (maxTasks == 0 || size > maxBytes) {
            return;
        }
        entries.put(value.task().id(), new Cached(value, size));
        bytes += size;
        Iterator<Map.Entry<String, Cached>> eldest = entries.entrySet().iterator();
        while ((entries.size() > maxTasks || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    public synchronized void remove(String taskId) {
        Cached c = entries.remove(taskId);
        if (c != null) {
            bytes -= c.bytes();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    /** Estimated bytes of the cached tasks. */
    public synchronized long bytes() {
        return bytes;
    }
}
