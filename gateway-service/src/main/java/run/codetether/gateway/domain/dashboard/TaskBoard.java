package run.codetether.gateway.domain.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.events.TaskEvent;

/**
 * This replica's dashboard read model: the summaries of the most recent tasks, folded from the task events every
 * replica reads, so any replica serves any operator. Memory is bounded: past {@code maxTasks} the oldest ended
 * tasks are forgotten first (they stay readable through A2A GetTask).
 *
 * <p>Thread-safe. Events are folded under one short lock (no I/O inside); subscribers are only told which tasks
 * changed, and read the summaries later from their own thread.
 */
public final class TaskBoard {
    private final int maxTasks;
    private final LongSupplier clockMillis;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TaskSummary> tasks = new HashMap<>();
    /** Sub-agent task id -> its swarm and subtask, as the swarm's progress named it. */
    private final Map<String, Parent> parents = new HashMap<>();
    private final List<BoardSubscription> subscribers = new CopyOnWriteArrayList<>();
    private final Throughput started;
    private final Throughput finished;
    /** Since when the feed reads no events (null while it reads): the rates count nothing then. */
    private volatile Instant pausedAt;
    /** When the feed last caught up after a pause (null: it never paused). */
    private volatile Instant resumedAt;

    public TaskBoard(int maxTasks) {
        this(maxTasks, System::currentTimeMillis);
    }

    public TaskBoard(int maxTasks, LongSupplier clockMillis) {
        if (maxTasks < 1) {
            throw new IllegalArgumentException("maxTasks must be at least 1");
        }
        this.maxTasks = maxTasks;
        this.clockMillis = clockMillis;
        this.started = new Throughput(60, clockMillis);
        this.finished = new Throughput(60, clockMillis);
    }

    /** How many summaries the board keeps at most. */
    public int maxTasks() {
        return maxTasks;
    }

    /**
     * A task as the state topic last saved it. Fills what the events this replica folded did not tell (owner,
     * tenant, title of a task whose first events are older than the replayed window), and takes the saved state
     * when the task ended there.
     */
    public void restore(Task task) {
        TaskSummary saved = SummaryFold.restore(task);
        Set<String> changed = new LinkedHashSet<>();
        lock.lock();
        try {
            TaskSummary now = tasks.get(task.id());
            TaskSummary next = now == null ? saved : merge(now, saved);
            if (next != now) {
                tasks.put(task.id(), next);
                changed.add(task.id());
            }
            evict();
        } finally {
            lock.unlock();
        }
        tell(changed);
    }

    /** Folds one event of the events topic (and links a swarm's sub-agent to its swarm). */
    public void apply(TaskEvent event, int partition, long offset) {
        Set<String> changed = new LinkedHashSet<>();
        lock.lock();
        try {
            TaskSummary before = tasks.get(event.taskId());
            TaskSummary after = SummaryFold.apply(before, event, partition, offset);
            if (after != before) {
                tasks.put(after.id(), after);
                changed.add(after.id());
                if (before == null) {
                    started.mark();
                }
                if (after.ended() && (before == null || !before.ended())) {
                    finished.mark();
                }
            }
            SummaryFold.link(event).ifPresent(link -> {
                parents.put(link.childTaskId(), new Parent(after.id(), link.subtaskId()));
                TaskSummary child = tasks.get(link.childTaskId());
                if (child == null || child.parentId() == null || child.owner() == null) {
                    TaskSummary adopted = SummaryFold.adopt(child, link.childTaskId(), link.childTaskId(), after,
                            link.subtaskId());
                    tasks.put(adopted.id(), adopted);
                    changed.add(adopted.id());
                }
            });
            if (after.kind().equals("agent") && after.parentId() == null && after.owner() == null) {
                // a sub-agent's own event may arrive before its swarm names it: the swarm may know it already
                Parent p = parents.get(after.id());
                TaskSummary swarm = p == null ? null : tasks.get(p.parentId());
                if (swarm != null) {
                    TaskSummary adopted = SummaryFold.adopt(after, after.id(), after.contextId(), swarm, p.subtaskId());
                    tasks.put(adopted.id(), adopted);
                }
            }
            evict();
        } finally {
            lock.unlock();
        }
        tell(changed);
    }

    public Optional<TaskSummary> get(String taskId) {
        lock.lock();
        try {
            return Optional.ofNullable(tasks.get(taskId));
        } finally {
            lock.unlock();
        }
    }

    /** Up to {@code limit} matching summaries, most recently updated first. */
    public List<TaskSummary> list(Predicate<TaskSummary> filter, int limit) {
        List<TaskSummary> all;
        lock.lock();
        try {
            all = new ArrayList<>(tasks.values());
        } finally {
            lock.unlock();
        }
        return all.stream().filter(filter).sorted(RECENT_FIRST).limit(limit).toList();
    }

    /** The sub-agents of a swarm this replica knows. */
    public List<TaskSummary> children(String parentId) {
        return list(s -> parentId.equals(s.parentId()), maxTasks);
    }

    public int size() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    /** The feed stopped reading events at {@code at} (nobody watches): the rates count nothing from then on. */
    public void feedPaused(Instant at) {
        pausedAt = at;
    }

    /** The feed caught the board up at {@code at} and reads again. */
    public void feedResumed(Instant at) {
        pausedAt = null;
        resumedAt = at;
    }

    /**
     * Counts and rates over what this replica folded.
     *
     * @param pausedAt since when the feed reads no events (null while it reads): the rates are not measured
     * @param resumedAt when the feed last caught up after a pause (null: it never paused); the rates cover only the
     *     time since then when that is within their window
     */
    public record Stats(int tasks, int active, int inputRequired, double startedPerSecond, double finishedPerSecond,
            Instant at, Instant pausedAt, Instant resumedAt) {
        public Stats(int tasks, int active, int inputRequired, double startedPerSecond, double finishedPerSecond,
                Instant at) {
            this(tasks, active, inputRequired, startedPerSecond, finishedPerSecond, at, null, null);
        }
    }

    public Stats stats(Predicate<TaskSummary> filter) {
        int total = 0;
        int active = 0;
        int waiting = 0;
        lock.lock();
        try {
            for (TaskSummary s : tasks.values()) {
                if (!filter.test(s)) {
                    continue;
                }
                total++;
                if (!s.ended()) {
                    active++;
                }
                if (s.state().equals("input-required")) {
                    waiting++;
                }
            }
            return new Stats(total, active, waiting, started.perSecond(10), finished.perSecond(10),
                    Instant.ofEpochMilli(clockMillis.getAsLong()), pausedAt, resumedAt);
        } finally {
            lock.unlock();
        }
    }

    /** @param maxPending changed tasks remembered before the subscriber is told to reload everything */
    public BoardSubscription subscribe(int maxPending) {
        BoardSubscription s = new BoardSubscription(maxPending);
        subscribers.add(s);
        return s;
    }

    public void unsubscribe(BoardSubscription s) {
        subscribers.remove(s);
        s.close();
    }

    public int subscribers() {
        return subscribers.size();
    }

    private void tell(Set<String> changed) {
        if (changed.isEmpty()) {
            return;
        }
        for (BoardSubscription s : subscribers) {
            s.mark(changed);
        }
    }

    private record Parent(String parentId, String subtaskId) {}

    private static TaskSummary merge(TaskSummary now, TaskSummary saved) {
        boolean takeState = saved.ended() && !now.ended();
        if (!takeState && (now.owner() != null || saved.owner() == null) && (now.title() != null || saved.title() == null)
                && (now.tenant() != null || saved.tenant() == null) && (now.skill() != null || saved.skill() == null)) {
            return now;
        }
        Draft d = Draft.of(now);
        d.owner = now.owner() != null ? now.owner() : saved.owner();
        d.tenant = now.tenant() != null ? now.tenant() : saved.tenant();
        d.skill = now.skill() != null ? now.skill() : saved.skill();
        d.kind = now.kind().equals("agent") ? saved.kind() : now.kind();
        d.title = now.title() != null ? now.title() : saved.title();
        if (takeState) {
            d.state = saved.state();
            d.endedAt = saved.endedAt();
            d.updatedAt = SummaryFold.later(now.updatedAt(), saved.updatedAt());
            d.currentTool = null;
        }
        return d.build();
    }

    /** Forgets the oldest ended tasks, then the oldest of all, once the board holds a tenth more than its bound. */
    private void evict() {
        if (tasks.size() <= maxTasks + Math.max(1, maxTasks / 10)) {
            return;
        }
        List<TaskSummary> all = new ArrayList<>(tasks.values());
        all.sort(Comparator.comparing((TaskSummary s) -> !s.ended()).thenComparing(OLDEST_FIRST));
        int excess = tasks.size() - maxTasks;
        for (int i = 0; i < excess; i++) {
            tasks.remove(all.get(i).id());
        }
        parents.entrySet().removeIf(e -> !tasks.containsKey(e.getValue().parentId()));
    }

    private static final Comparator<TaskSummary> OLDEST_FIRST = Comparator.comparing(TaskSummary::updatedAt,
            Comparator.nullsFirst(Comparator.naturalOrder()));
    static final Comparator<TaskSummary> RECENT_FIRST = OLDEST_FIRST.reversed();
}
