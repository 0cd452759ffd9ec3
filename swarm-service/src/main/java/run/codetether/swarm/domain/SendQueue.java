package run.codetether.swarm.domain;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskControl;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.swarm.SwarmState;

/**
 * The coordinator's outbox as seen under its lock: each write is only queued there, and handed to the real outbox
 * by {@link #sendQueued} once the lock is released. A Kafka producer's send can block (up to {@code max.block.ms})
 * waiting for metadata or buffer space; under the coordinator's lock that held up the events of every other swarm.
 *
 * <p>One thread sends at a time, in the order the writes were queued, so the outbox contract holds (a subtask is
 * published before the state that records it). A blocked send delays the writes queued after it, as the producer
 * itself would, but no caller waits for it except the one sending.
 *
 * <p>The queue is bounded: past {@code maxQueued} writes (a broker that stalls holds the sender), the thread that
 * queued the last one waits for the sender and sends what is left itself, outside the coordinator's lock, before it
 * goes back for more input (a Kafka consumer thread polls no new records meanwhile). Nothing is dropped and the order
 * stays; the queue can pass the bound only by what the threads feeding it each queued for one input.
 */
final class SendQueue implements SwarmOutbox {
    private final SwarmOutbox out;
    /** The coordinator's lock: nothing is sent while the caller holds it. */
    private final Object lock;
    private final Queue<Consumer<SwarmOutbox>> queued = new ConcurrentLinkedQueue<>();
    /** The queue's length (a {@link ConcurrentLinkedQueue} counts by walking it). */
    private final AtomicInteger length = new AtomicInteger();
    private final int maxQueued;
    /** Held by the one thread sending. */
    private final ReentrantLock sending = new ReentrantLock();

    /** @param maxQueued writes queued past which the thread that queued waits for them to be sent */
    SendQueue(SwarmOutbox out, Object lock, int maxQueued) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1, was " + maxQueued);
        }
        this.out = out;
        this.lock = lock;
        this.maxQueued = maxQueued;
    }

    /** Runs each task on {@code calls}, then sends what it queued (a model call's outcome is written under the lock). */
    Executor sendingAfter(Executor calls) {
        return task -> calls.execute(() -> {
            try {
                task.run();
            } finally {
                sendQueued();
            }
        });
    }

    @Override
    public void dispatch(TaskCommand.StartTask subtask) {
        queue(o -> o.dispatch(subtask));
    }

    @Override
    public void cancel(TaskControl.CancelTask cancel) {
        queue(o -> o.cancel(cancel));
    }

    @Override
    public void report(TaskEvent event) {
        queue(o -> o.report(event));
    }

    @Override
    public void save(SwarmState state) {
        queue(o -> o.save(state));
    }

    private void queue(Consumer<SwarmOutbox> write) {
        queued.add(write);
        length.incrementAndGet();
    }

    /**
     * Sends what is queued unless another thread is sending: that one looks again after it lets go, so a write queued
     * while it sent is not left behind. Past the bound this thread waits for the sender instead and sends the rest
     * itself (backpressure). Does nothing under the coordinator's lock (an inline model call runs there; waiting there
     * would hold up every swarm); the caller that holds it sends once it lets go.
     */
    void sendQueued() {
        if (Thread.holdsLock(lock)) {
            return;
        }
        while (!queued.isEmpty()) {
            if (length.get() > maxQueued) {
                sending.lock();
            } else if (!sending.tryLock()) {
                return;
            }
            try {
                drain();
            } finally {
                sending.unlock();
            }
        }
    }

    /** Sends everything queued, waiting for a thread already sending (before a commit, everything must be out). */
    void flush() {
        sending.lock();
        try {
            drain();
        } finally {
            sending.unlock();
        }
        sendQueued();
    }

    /** A write whose send throws is dropped (it was taken) and the error goes to the caller; the rest stay queued. */
    private void drain() {
        for (Consumer<SwarmOutbox> write; (write = queued.poll()) != null; ) {
            length.decrementAndGet();
            write.accept(out);
        }
    }
}
