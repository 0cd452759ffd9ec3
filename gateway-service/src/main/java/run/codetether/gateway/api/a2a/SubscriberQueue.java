package run.codetether.gateway.api.a2a;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * One stream subscriber's items on their way out, shared by the SSE and gRPC sinks (issue 18, issue 20).
 * {@link #offer} only queues the item and returns, so the gateway's task event reader, which calls a sink's
 * {@code send} while it folds, never encodes or writes; the queue is drained (encoded, then delivered, in order) by a
 * virtual thread of its own, at most one at a time per subscriber, so a subscriber whose encoding or connection is
 * slow delays only itself. Bounded: at most {@link #MAX_ITEMS} wait, and the sink ends a subscriber that falls that
 * far behind as a slow consumer ({@link #slow}).
 *
 * <p>Its lock is a leaf: the drain calls the sink's {@link Target} outside it, and the close actions run outside it,
 * so a sink may call in while holding its own lock.
 *
 * @param <T> an item as the sink's wire has it (an SSE event's text, a gRPC message)
 */
public final class SubscriberQueue<T> {
    /** Most items waiting to be encoded for one subscriber before its stream is ended as too slow. */
    public static final int MAX_ITEMS = 1_024;
    /** Drains of every subscriber's queue: a virtual thread each, so one blocked drain holds up no other. */
    private static final Executor DRAINS = Executors.newVirtualThreadPerTaskExecutor();
    /** The mark for "end the stream after the items before it". */
    private static final Object END = new Object();

    /** What a sink does with its items; the drain calls it in order, from one thread at a time, outside the lock. */
    public interface Target<T> {
        /** The item as the wire has it (may be slow: the reader is not waiting). */
        T encode(StreamEvent item);

        /** Writes an encoded item, or ends the stream when the client is too far behind. */
        void deliver(T encoded);

        /** Encoding or delivering an item failed: the stream ends (never half-written; the client can GetTask). */
        void failed(RuntimeException error);

        /** Every item queued before {@link #end} went out: the stream ends normally. */
        void end();
    }

    private final Target<T> target;
    /** Items (and {@link #END}) waiting for the drain, in order; guarded by this. */
    private final ArrayDeque<Object> items = new ArrayDeque<>();
    private final List<Runnable> closeActions = new ArrayList<>();
    private boolean draining;
    /** {@link #end} was called: what comes after it is dropped. */
    private boolean ending;
    /** The stream is over: nothing more is taken or drained. */
    private boolean stopped;
    private boolean closed;

    public SubscriberQueue(Target<T> target) {
        this.target = target;
    }

    /**
     * Queues the item for the drain and returns at once. False when {@link #MAX_ITEMS} already wait: the caller ends
     * the stream as slow. An item after {@link #end} or {@link #stop} is dropped (true).
     */
    public synchronized boolean offer(StreamEvent item) {
        if (stopped || ending) {
            return true;
        }
        if (items.size() >= MAX_ITEMS) {
            return false;
        }
        items.add(item);
        scheduleDrain();
        return true;
    }

    /** How many items wait (for the sink's slow-consumer message). */
    public synchronized int size() {
        return items.size();
    }

    /** Ends the stream after the items queued before this call (the drain calls {@link Target#end}). */
    public synchronized void end() {
        if (stopped || ending) {
            return;
        }
        ending = true;
        items.add(END);
        scheduleDrain();
    }

    /** The stream is over (ended, aborted or failed): what still waits is dropped and nothing more is taken. */
    public synchronized void stop() {
        stopped = true;
        items.clear();
    }

    /** Runs {@code action} when the subscriber is closed, or at once if it is. */
    public void onClose(Runnable action) {
        synchronized (this) {
            if (!closed) {
                closeActions.add(action);
                return;
            }
        }
        action.run();
    }

    /**
     * Stops the queue and runs the close actions, once. They run outside every lock: they unsubscribe from the task
     * view, whose fold holds its own lock while it calls a sink's {@code send}; taking the two in opposite orders
     * deadlocked the event loop.
     */
    public void close() {
        List<Runnable> actions;
        synchronized (this) {
            stop();
            closed = true;
            actions = new ArrayList<>(closeActions);
            closeActions.clear();
        }
        actions.forEach(Runnable::run);
    }

    /** The error that ends a subscriber with more than {@code limit} waiting: retryable, it says how to go on. */
    public static A2AException slow(String taskId, String limit) {
        return A2AException.streamEnded(taskId, "slow_consumer", "This stream fell behind: more than " + limit
                + " were waiting for the client. Resubscribe (SubscribeToTask) to go on from the task as it stands, "
                + "or read it with GetTask", 1);
    }

    /** Starts a drain unless one runs; called holding the lock. */
    private void scheduleDrain() {
        if (!draining) {
            draining = true;
            DRAINS.execute(this::drain);
        }
    }

    /** Encodes and delivers what the queue holds, in order, until it is empty or the stream is over. */
    private void drain() {
        while (true) {
            Object next;
            synchronized (this) {
                next = items.poll();
                if (next == null || stopped) {
                    items.clear();
                    draining = false;
                    return;
                }
            }
            if (next == END) {
                target.end();
                continue;
            }
            try {
                target.deliver(target.encode((StreamEvent) next)); // outside the lock: offer() never waits on it
            } catch (RuntimeException e) {
                target.failed(e);
            }
        }
    }
}
