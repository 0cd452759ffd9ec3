package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;

/**
 * This replica's copy of every task, rebuilt from the log: restored from the compacted state topic at start, then
 * advanced by every event of the events topic. Each task remembers the log offset of the last event folded into
 * it, so a redelivered or replayed event is skipped (folding is exactly-once per replica).
 *
 * <p>Thread-safe. A subscription and the events it sees are consistent: {@link #subscribe} returns the task as
 * folded up to some offset and the listener then gets exactly the events after it, none missed, none twice.
 */
public final class TaskView {
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Consumer<RuntimeException> listenerFailures;
    private final BiConsumer<Task, Task> transitions;

    public TaskView() {
        this(e -> { });
    }

    /** @param listenerFailures told when a listener throws (it is then removed) */
    public TaskView(Consumer<RuntimeException> listenerFailures) {
        this(listenerFailures, (before, after) -> { });
    }

    /**
     * @param transitions told of every change of a task (before, after; after null when removed), inside the
     *     task's update, so it sees each task's changes in order (the in-flight counts of admission control)
     */
    public TaskView(Consumer<RuntimeException> listenerFailures, BiConsumer<Task, Task> transitions) {
        this.listenerFailures = listenerFailures;
        this.transitions = transitions;
    }

    private static final class Entry {
        volatile Task task;
        volatile long offset = -1;
        final List<TaskListener> listeners = new CopyOnWriteArrayList<>();
    }

    /** A folded task and the offset of the last event in it. */
    public record Versioned(Task task, long offset) {}

    /** Restores a task read from the state topic, unless this view already holds a later version. */
    public void restore(Task task, long offset) {
        entries.compute(task.id(), (id, e) -> {
            Entry entry = e == null ? new Entry() : e;
            if (entry.task == null || offset > entry.offset) {
                Task before = entry.task;
                entry.task = task;
                entry.offset = offset;
                transitions.accept(before, task);
            }
            return entry;
        });
    }

    /**
     * Forgets a task (a tombstone on the state topic). Its subscribers are told ({@link TaskListener#onRemoved}) and
     * dropped: a stream of a task that is gone ends with an error the client can act on instead of hanging.
     */
    public void remove(String taskId) {
        List<TaskListener> told = new ArrayList<>();
        entries.computeIfPresent(taskId, (id, e) -> {
            if (e.task != null) {
                transitions.accept(e.task, null);
            }
            told.addAll(e.listeners);
            return null;
        });
        for (TaskListener l : told) {
            try {
                l.onRemoved(taskId);
            } catch (RuntimeException err) {
                listenerFailures.accept(err);
            }
        }
    }

    /**
     * Folds one event and tells the task's listeners.
     *
     * @param changed receives the task when the event changed it (what the caller persists)
     */
    public void apply(TaskEvent event, long offset, Consumer<Versioned> changed) {
        entries.compute(event.taskId(), (id, e) -> {
            Entry entry = e == null ? new Entry() : e;
            if (entry.task != null && offset <= entry.offset) {
                return entry; // already folded (replay after restart or redelivery)
            }
            Task before = entry.task;
            Task after = TaskFold.apply(before, event);
            entry.task = after;
            entry.offset = offset;
            if (after != before) {
                transitions.accept(before, after);
                changed.accept(new Versioned(after, offset));
            }
            for (TaskListener l : entry.listeners) {
                try {
                    l.onEvent(event, after, offset);
                } catch (RuntimeException err) {
                    // one broken subscriber (a stream that failed to encode) must not stop the fold for all
                    entry.listeners.remove(l);
                    listenerFailures.accept(err);
                }
            }
            return entry;
        });
    }

    public Optional<Task> get(String taskId) {
        Entry e = entries.get(taskId);
        return e == null || e.task == null ? Optional.empty() : Optional.of(e.task);
    }

    /**
     * Registers a listener and returns the task as it stands (null when it does not exist yet), atomically with
     * respect to {@link #apply}.
     */
    public Versioned subscribe(String taskId, TaskListener listener) {
        Versioned[] snapshot = new Versioned[1];
        entries.compute(taskId, (id, e) -> {
            Entry entry = e == null ? new Entry() : e;
            entry.listeners.add(listener);
            snapshot[0] = new Versioned(entry.task, entry.offset);
            return entry;
        });
        return snapshot[0];
    }

    public void unsubscribe(String taskId, TaskListener listener) {
        entries.computeIfPresent(taskId, (id, e) -> {
            e.listeners.remove(listener);
            return e.task == null && e.listeners.isEmpty() ? null : e;
        });
    }

    /** A point-in-time copy of every task (for listing). */
    public Collection<Task> all() {
        List<Task> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            Task t = e.task;
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    public int size() {
        return entries.size();
    }
}
