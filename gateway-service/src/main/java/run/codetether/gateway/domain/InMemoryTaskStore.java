package run.codetether.gateway.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import run.codetether.contracts.a2a.Task;

/**
 * A {@link TaskStore} in the heap: what the domain's tests and a single short-lived gateway without a data directory
 * use. It holds every task, so it does not bound memory; the gateway's default is the on-disk store.
 */
public final class InMemoryTaskStore implements TaskStore {
    /** Newest first: timestamp descending, then id descending (the order ListTasks pages in). */
    static final Comparator<Summary> NEWEST_FIRST = Comparator.comparing(Summary::timestamp)
            .thenComparing(Summary::id).reversed();

    private final Map<String, TaskView.Versioned> tasks = new ConcurrentHashMap<>();
    private final Map<String, Summary> summaries = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Summary, Boolean> order = new ConcurrentSkipListMap<>(NEWEST_FIRST);
    private volatile Map<String, Long> checkpoint = Map.of();

    @Override
    public Optional<TaskView.Versioned> get(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    @Override
    public Optional<Summary> summary(String taskId) {
        return Optional.ofNullable(summaries.get(taskId));
    }

    @Override
    public synchronized void put(Task task, long offset) {
        Summary s = Summary.of(task, offset);
        Summary old = summaries.put(task.id(), s);
        if (old != null) {
            order.remove(old);
        }
        order.put(s, Boolean.TRUE);
        tasks.put(task.id(), new TaskView.Versioned(task, offset));
    }

    @Override
    public void putEncoded(Summary summary, byte[] json) {
        put(StoredTask.decode(json), summary.offset());
    }

    @Override
    public synchronized void remove(String taskId) {
        Summary old = summaries.remove(taskId);
        if (old != null) {
            order.remove(old);
        }
        tasks.remove(taskId);
    }

    @Override
    public Iterator<Summary> newestFirst(Instant afterTimestamp, String afterId) {
        if (afterTimestamp == null) {
            return order.keySet().iterator();
        }
        Summary probe = new Summary(afterId, null, null, null, null, afterTimestamp, -1);
        return order.tailMap(probe, false).keySet().iterator();
    }

    @Override
    public Map<Scope, Long> countsByScope() {
        Map<Scope, Long> out = new HashMap<>();
        summaries.values().forEach(s -> out.merge(new Scope(s.owner(), s.tenant()), 1L, Long::sum));
        return out;
    }

    @Override
    public List<Summary> resident() {
        return summaries.values().stream().filter(Summary::resident).toList();
    }

    @Override
    public long size() {
        return tasks.size();
    }

    @Override
    public Map<String, Long> checkpoint() {
        return checkpoint;
    }

    @Override
    public void checkpoint(Map<String, Long> positions) {
        Map<String, Long> next = new HashMap<>(checkpoint);
        next.putAll(positions);
        checkpoint = Map.copyOf(next);
    }

    private volatile String origin;

    @Override
    public Optional<String> origin() {
        return Optional.ofNullable(origin);
    }

    @Override
    public synchronized void reset(String newOrigin) {
        tasks.clear();
        summaries.clear();
        order.clear();
        checkpoint = Map.of();
        origin = newOrigin;
    }

    @Override
    public void close() {}
}
