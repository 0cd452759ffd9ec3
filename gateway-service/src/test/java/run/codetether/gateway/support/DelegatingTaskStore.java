package run.codetether.gateway.support;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.TaskStore;
import run.codetether.gateway.domain.TaskView;

/** A {@link TaskStore} that hands every call to another: a test overrides the calls it slows down or fails. */
public class DelegatingTaskStore implements TaskStore {
    private final TaskStore store;

    public DelegatingTaskStore(TaskStore store) {
        this.store = store;
    }

    @Override
    public Optional<TaskView.Versioned> get(String taskId) {
        return store.get(taskId);
    }

    @Override
    public Optional<Summary> summary(String taskId) {
        return store.summary(taskId);
    }

    @Override
    public void put(Task task, long offset) {
        store.put(task, offset);
    }

    @Override
    public void putEncoded(Summary summary, byte[] json) {
        store.putEncoded(summary, json);
    }

    @Override
    public void remove(String taskId) {
        store.remove(taskId);
    }

    @Override
    public Iterator<Summary> newestFirst(Instant afterTimestamp, String afterId) {
        return store.newestFirst(afterTimestamp, afterId);
    }

    @Override
    public Map<Scope, Long> countsByScope() {
        return store.countsByScope();
    }

    @Override
    public List<Summary> resident() {
        return store.resident();
    }

    @Override
    public long size() {
        return store.size();
    }

    @Override
    public Map<String, Long> checkpoint() {
        return store.checkpoint();
    }

    @Override
    public void checkpoint(Map<String, Long> positions) {
        store.checkpoint(positions);
    }

    @Override
    public Optional<String> origin() {
        return store.origin();
    }

    @Override
    public void reset(String origin) {
        store.reset(origin);
    }

    @Override
    public void close() {
        store.close();
    }
}
