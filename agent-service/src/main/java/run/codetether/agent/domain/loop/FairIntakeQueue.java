package run.codetether.agent.domain.loop;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Task commands fetched from Kafka but not yet started, one FIFO queue per tenant, taken round-robin across the
 * tenants (issue 19: one tenant's flood must not delay another tenant's task by more than about one task's start).
 * Kafka hands a worker its partitions in log order, so without this a task waits behind every command fetched
 * before it, whoever sent them.
 *
 * <p>Order within a conversation is kept: a command whose context already waits here joins that context's queue
 * whatever its tenant says (a {@code ContinueTask} carries none), so the dispatcher receives one context's commands
 * in the order of the partition. Bounded: {@link #full()} tells the intake to stop fetching at {@code maxItems}
 * commands or {@code maxBytes} of their records, so a flood costs a fixed amount of memory and the rest of it
 * waits in Kafka. It also counts the runs going per key ({@link #take}, {@link #ended}), so that the last free slot
 * goes only to a tenant with nothing running ({@link #next}). Not thread-safe: the intake uses it under its lock (its poll thread, and a run that ended handing its slot on).
 *
 * @param <T> what the intake keeps per command (its record and decoded command)
 */
public final class FairIntakeQueue<T> {
    /** The fairness key of commands without a tenant. */
    public static final String NO_TENANT = "";

    private record Waiting<T>(String key, String contextId, T item, long bytes) {}

    private final int maxItems;
    private final long maxBytes;
    private final Map<String, ArrayDeque<Waiting<T>>> byKey = new HashMap<>();
    /** Keys with waiting commands, in turn order: the head's oldest command goes next. */
    private final ArrayDeque<String> turns = new ArrayDeque<>();
    /** Per waiting context: its key and how many of its commands wait. */
    private final Map<String, Map.Entry<String, Integer>> contexts = new HashMap<>();
    /** Runs going per key (taken to run and not ended yet): who may take the last free slot. */
    private final Map<String, Integer> running = new HashMap<>();
    private int size;
    private long bytes;

    /**
     * @param maxItems most commands held before {@link #full()}
     * @param maxBytes most record bytes held before {@link #full()}
     */
    public FairIntakeQueue(int maxItems, long maxBytes) {
        if (maxItems < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("the intake buffer needs room for one command: " + maxItems
                    + " commands, " + maxBytes + " bytes");
        }
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /**
     * @param tenant the command's tenant, or null
     * @param contextId the command's conversation, or null for an unreadable record
     * @param bytes the size of its record (counted against the byte bound)
     */
    public void add(String tenant, String contextId, T item, long bytes) {
        String key = tenant == null || tenant.isEmpty() ? NO_TENANT : tenant;
        if (contextId != null) {
            Map.Entry<String, Integer> waiting = contexts.get(contextId);
            if (waiting != null) {
                key = waiting.getKey();
            }
            contexts.put(contextId, Map.entry(key, waiting == null ? 1 : waiting.getValue() + 1));
        }
        ArrayDeque<Waiting<T>> queue = byKey.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (queue.isEmpty()) {
            turns.addLast(key);
        }
        queue.addLast(new Waiting<>(key, contextId, item, bytes));
        size++;
        this.bytes += bytes;
    }

    /** A waiting command and the fairness key (tenant) it waits under. */
    public record Next<T>(String key, T item) {}

    /** The command whose turn it is, or null when none waits. */
    public T peek() {
        Next<T> next = next(false);
        return next == null ? null : next.item();
    }

    /** Removes the command {@link #peek()} answered; its tenant's next command waits for every other tenant's turn. */
    public T poll() {
        Next<T> next = next(false);
        if (next == null) {
            return null;
        }
        take(next, false);
        return next.item();
    }

    /**
     * The command whose turn it is, or null when none may start: for the last free slot(s) ({@code lastSlots}) only
     * a tenant with nothing {@link #take taken to run} that has not {@link #ended} yet may start (issue 19: one
     * tenant's flood fills every other slot, another tenant's first task never waits for one of its runs to end).
     */
    public Next<T> next(boolean lastSlots) {
        for (String key : turns) {
            if (!lastSlots || !running.containsKey(key)) {
                return new Next<>(key, byKey.get(key).peekFirst().item());
            }
        }
        return null;
    }

    /**
     * Removes the command {@link #next} answered (its tenant goes last in turn); with {@code runs}, the tenant counts
     * one more run going until {@link #ended}.
     *
     * @throws IllegalStateException when that command is no longer the first of its tenant (a caller's mistake)
     */
    public void take(Next<T> next, boolean runs) {
        ArrayDeque<Waiting<T>> queue = byKey.get(next.key());
        if (queue == null || queue.peekFirst().item() != next.item()) {
            throw new IllegalStateException("not the next command of " + next.key() + ": taken already?");
        }
        turns.remove(next.key()); // the head in the common case; else one pass over the few tenants waiting
        Waiting<T> w = queue.pollFirst();
        if (queue.isEmpty()) {
            byKey.remove(next.key());
        } else {
            turns.addLast(next.key());
        }
        forget(w);
        if (runs) {
            running.merge(next.key(), 1, Integer::sum);
        }
    }

    /** A run {@link #take taken} under {@code key} ended (finished or abandoned). */
    public void ended(String key) {
        running.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    /** Drops every waiting command that matches (e.g. of partitions that moved to another worker). */
    public void removeIf(Predicate<T> which) {
        for (Iterator<Map.Entry<String, ArrayDeque<Waiting<T>>>> it = byKey.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, ArrayDeque<Waiting<T>>> e = it.next();
            e.getValue().removeIf(w -> {
                if (which.test(w.item())) {
                    forget(w);
                    return true;
                }
                return false;
            });
            if (e.getValue().isEmpty()) {
                turns.remove(e.getKey());
                it.remove();
            }
        }
    }

    private void forget(Waiting<T> w) {
        size--;
        bytes -= w.bytes();
        if (w.contextId() != null) {
            contexts.computeIfPresent(w.contextId(),
                    (c, e) -> e.getValue() == 1 ? null : Map.entry(e.getKey(), e.getValue() - 1));
        }
    }

    /** True when the intake should stop fetching: the command or byte bound is reached. */
    public boolean full() {
        return size >= maxItems || bytes >= maxBytes;
    }

    /** Whether commands of this tenant (null or empty: none) wait here. */
    public boolean waits(String tenant) {
        ArrayDeque<Waiting<T>> queue = byKey.get(tenant == null || tenant.isEmpty() ? NO_TENANT : tenant);
        return queue != null && !queue.isEmpty();
    }

    /** Record bytes waiting here. */
    public long bytes() {
        return bytes;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }
}
