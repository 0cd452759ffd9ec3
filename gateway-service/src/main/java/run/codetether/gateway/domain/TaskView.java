package run.codetether.gateway.domain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;

/**
 * This replica's copy of every task, rebuilt from the log: restored from the compacted state topic (or the local
 * {@link TaskStore} and the log's tail) at start, then advanced by every event of the events topic. Each task
 * remembers the log offset of the last event folded into it, so a redelivered or replayed event is skipped (folding
 * is exactly-once per replica).
 *
 * <p>Memory is bounded by the work in progress, not by history: every task lives in the {@link TaskStore}; the heap
 * holds only tasks that are submitted or working (bounded by admission), tasks someone listens to, and a small
 * {@link TaskCache} of recently finished or read ones. A task read while it is in none of these comes from the store.
 *
 * <p>Thread-safe. A subscription and the events it sees are consistent: {@link #subscribe} returns the task as
 * folded up to some offset and the listener then gets exactly the events after it, none missed, none twice.
 */
public final class TaskView {
    /** Default most tasks of the cache of recent ones. */
    public static final int DEFAULT_CACHED_TASKS = 1_000;
    /** Default most estimated bytes of the cache of recent ones. */
    public static final long DEFAULT_CACHED_BYTES = 32L << 20;

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final TaskStore store;
    private final TaskCache cache;
    private final Consumer<RuntimeException> listenerFailures;
    private final BiConsumer<Task, Task> transitions;

    /** A view over a store in the heap (tests, tools). */
    public TaskView() {
        this(e -> { });
    }

    /** @param listenerFailures told when a listener throws (it is then removed) */
    public TaskView(Consumer<RuntimeException> listenerFailures) {
        this(listenerFailures, (before, after) -> { });
    }

    public TaskView(Consumer<RuntimeException> listenerFailures, BiConsumer<Task, Task> transitions) {
        this(new InMemoryTaskStore(), new TaskCache(DEFAULT_CACHED_TASKS, DEFAULT_CACHED_BYTES), listenerFailures,
                transitions);
    }

    /**
     * @param store where every task is kept
     * @param cache the recent tasks kept in memory beside the ones in progress
     * @param transitions told of every change of a task (before, after; after null when removed), inside the
     *     task's update, so it sees each task's changes in order (the in-flight counts of admission control)
     */
    public TaskView(TaskStore store, TaskCache cache, Consumer<RuntimeException> listenerFailures,
            BiConsumer<Task, Task> transitions) {
        this.store = store;
        this.cache = cache;
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

    /** Whether a task in this state stays in memory: it holds an admission slot and a worker acts on it. */
    public static boolean resident(TaskState state) {
        return state == TaskState.SUBMITTED || state == TaskState.WORKING;
    }

    /** The store behind this view (listing reads its order). */
    public TaskStore store() {
        return store;
    }

    /**
     * Brings the stored tasks in progress into memory (at start, before the log's tail is read), telling
     * {@code transitions} of each so the in-flight counts start right.
     */
    public int loadResident() {
        List<TaskStore.Summary> resident = store.resident();
        // decoding them is most of a warm start's own work (a thousand tasks in progress: 85% of the task state's
        // start, bench/README.md "Gateway task store"): side by side, each task in its own map slot; the
        // transitions are told from several threads in any case (request threads and the event reader)
        (resident.size() < 64 ? resident.stream() : resident.parallelStream()).forEach(s ->
                entries.compute(s.id(), (id, e) -> {
                    Entry entry = e == null ? load(id) : e;
                    if (entry.task != null) {
                        transitions.accept(null, entry.task);
                    }
                    return entry;
                }));
        return resident.size();
    }

    /**
     * Restores a task read from the state topic (in its stored shape, {@link StoredTask}: it is read back to the task
     * as folded), unless this view already holds a later version.
     */
    public void restore(Task stored, long offset) {
        Task task = StoredTask.read(stored);
        entries.compute(task.id(), (id, e) -> {
            Entry entry = e == null ? load(id) : e;
            if (entry.task == null || offset > entry.offset) {
                Task before = entry.task;
                store.put(task, offset); // before the entry shows it, as in apply
                entry.task = task;
                entry.offset = offset;
                transitions.accept(before, task);
            }
            return settle(entry);
        });
    }

    /**
     * Restores a task read from the state topic as it was read: a finished task goes to the store without being
     * decoded (a cold start reads every task ever stored), one in progress or in memory through {@link #restore}.
     */
    public void restoreEncoded(TaskStore.Summary summary, byte[] json, Function<byte[], Task> decode) {
        if (summary.resident() || entries.containsKey(summary.id())) {
            restore(decode.apply(json), summary.offset());
            return;
        }
        Optional<TaskStore.Summary> stored = store.summary(summary.id());
        if (stored.isPresent() && summary.offset() <= stored.get().offset()) {
            return;
        }
        cache.remove(summary.id());
        store.putEncoded(summary, json);
    }

    /**
     * Forgets a task (a tombstone on the state topic). Its subscribers are told ({@link TaskListener#onRemoved}) and
     * dropped: a stream of a task that is gone ends with an error the client can act on instead of hanging.
     */
    public void remove(String taskId) {
        List<TaskListener> told = new ArrayList<>();
        entries.compute(taskId, (id, e) -> {
            Entry entry = e == null ? load(id) : e;
            if (entry.task != null) {
                transitions.accept(entry.task, null);
            }
            told.addAll(entry.listeners);
            store.remove(id);
            cache.remove(id);
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
            Entry entry = e == null ? load(id) : e;
            if (entry.task != null && offset <= entry.offset) {
                return settle(entry); // already folded (replay after restart or redelivery)
            }
            Task before = entry.task;
            Task after = TaskFold.apply(before, event);
            if (after != before) {
                // stored before the entry shows it: folded() reads the entry without this lock, and the reader
                // hands a position it skipped to the store's checkpoint, which must find the task in the store
                store.put(after, offset);
            }
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
            return settle(entry);
        });
    }

    /**
     * Whether this view has already folded {@code taskId}'s events up to {@code offset} (a task's events share one
     * partition, so its offsets are comparable): {@link #apply} would skip the event, so a reader need not decode it.
     * The event the gateway writes itself on accept (the submitted task with the user's message) is folded by the
     * request thread (read-your-writes) before the reader sees it: decoding it again was part of the reader's cost
     * per accepted task (issue 20). True only once the store holds the task at that offset ({@link #apply} puts it
     * before the entry shows it): the reader hands the position on to the store's checkpoint. False when unsure (the
     * task not in memory): the event is then decoded and {@link #apply} decides.
     */
    public boolean folded(String taskId, long offset) {
        Entry e = taskId == null ? null : entries.get(taskId);
        return e != null && e.task != null && offset <= e.offset;
    }

    public Optional<Task> get(String taskId) {
        Entry e = entries.get(taskId);
        Task live = e == null ? null : e.task;
        if (live != null) {
            return Optional.of(live);
        }
        Versioned cached = cache.get(taskId);
        if (cached != null) {
            return Optional.of(cached.task());
        }
        Optional<Versioned> stored = store.get(taskId);
        stored.ifPresent(cache::put);
        return stored.map(Versioned::task);
    }

    /**
     * Registers a listener and returns the task as it stands (null when it does not exist yet), atomically with
     * respect to {@link #apply}.
     */
    public Versioned subscribe(String taskId, TaskListener listener) {
        Versioned[] snapshot = new Versioned[1];
        entries.compute(taskId, (id, e) -> {
            Entry entry = e == null ? load(id) : e;
            entry.listeners.add(listener);
            snapshot[0] = new Versioned(entry.task, entry.offset);
            return entry;
        });
        return snapshot[0];
    }

    /**
     * As {@link #subscribe}, for a task id this replica has just made and written nothing for yet (a start's,
     * subscribed before its first write): no version of it can be anywhere, so its entry starts empty without the
     * lookup in the cache and the store that {@link #subscribe} makes (a miss in the store's tree for every
     * blocking send: 3.6 % of the gateway's CPU on the full path, issue 18). Never for an id a client named.
     */
    public void subscribeNew(String taskId, TaskListener listener) {
        entries.compute(taskId, (id, e) -> {
            Entry entry = e == null ? new Entry() : e;
            entry.listeners.add(listener);
            return entry;
        });
    }

    /**
     * The items (a poll's events) with those of tasks someone listens to (a blocking send, a stream) moved first,
     * each task's items in their order: whether a task goes first is decided once, at its first item. Folding in
     * this order changes no task's result (a task's events keep their order; tasks are independent) and lets a
     * waiting client's answer skip the other tasks' events of the same poll (issue 19: another tenant's flood).
     */
    public <T> List<T> listenedFirst(Iterable<T> items, Function<T, String> taskIdOf) {
        List<T> first = new ArrayList<>();
        List<T> rest = new ArrayList<>();
        Map<String, Boolean> decided = new HashMap<>();
        for (T item : items) {
            String id = taskIdOf.apply(item);
            boolean listened = id != null && decided.computeIfAbsent(id, k -> {
                Entry e = entries.get(k);
                return e != null && !e.listeners.isEmpty();
            });
            (listened ? first : rest).add(item);
        }
        if (first.isEmpty()) {
            return rest;
        }
        first.addAll(rest);
        return first;
    }

    public void unsubscribe(String taskId, TaskListener listener) {
        entries.computeIfPresent(taskId, (id, e) -> {
            e.listeners.remove(listener);
            return settle(e);
        });
    }

    /** A point-in-time copy of the tasks in progress (submitted or working), all of which are in memory. */
    public List<Task> inProgress() {
        List<Task> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            Task t = e.task;
            if (t != null && resident(t.status().state())) {
                out.add(t);
            }
        }
        return out;
    }

    /** How many tasks this replica knows (stored). */
    public long size() {
        return store.size();
    }

    /** How many tasks are in memory now (in progress, listened to, or cached). */
    public int inMemory() {
        return entries.size() + cache.size();
    }

    /** A task's entry as stored, for a task not in memory (the cache holds the same version as the store). */
    private Entry load(String taskId) {
        Entry entry = new Entry();
        Versioned v = cache.get(taskId);
        if (v == null) {
            v = store.get(taskId).orElse(null);
        }
        cache.remove(taskId); // the entry is the copy now; it goes back to the cache when it leaves memory
        if (v != null) {
            entry.task = v.task();
            entry.offset = v.offset();
        }
        return entry;
    }

    /** The entry, while it stays in memory (in progress or listened to); else null, and the task is cached. */
    private Entry settle(Entry entry) {
        if (!entry.listeners.isEmpty() || (entry.task != null && resident(entry.task.status().state()))) {
            return entry;
        }
        if (entry.task != null) {
            cache.put(new Versioned(entry.task, entry.offset));
        }
        return null;
    }
}
