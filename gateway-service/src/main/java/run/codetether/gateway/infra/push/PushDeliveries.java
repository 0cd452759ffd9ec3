package run.codetether.gateway.infra.push;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.PushConfig;

/**
 * The webhook deliveries waiting on this replica: a bounded queue, in order per target (one push config of one
 * task), with retries on a scheduler instead of a sleeping thread. Nothing here blocks the caller (the Kafka
 * consumer): a request runs on a virtual thread, a retry waits as a scheduled task, and one slow or failing target
 * delays only its own later notifications, never another target's.
 *
 * <p>Bounded: at most {@code maxQueued} deliveries wait (in flight or for a retry) at once; one more is dropped at
 * once, logged and counted under reason {@code queue_full}. A delivery that runs out of attempts is counted under
 * {@code attempts_exhausted}; a webhook that refuses it (4xx other than 408/429) under {@code refused}. Every
 * delivery, delivered or dropped, runs its {@code settled} action exactly once.
 */
final class PushDeliveries implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PushDeliveries.class);

    /** Sends one notification and completes with the HTTP status (blocking is fine: it runs on a virtual thread). */
    interface Sender {
        /** @param deliveryId the same for every attempt of this notification (and for a re-delivery after a restart) */
        int send(PushConfig config, String deliveryId, String body) throws Exception;
    }

    private record Delivery(PushConfig config, String id, String body, Runnable settled) {}

    /** One target's deliveries, in order; only the head is in flight. */
    private static final class Target {
        final String key;
        final ArrayDeque<Delivery> queue = new ArrayDeque<>();

        Target(String key) {
            this.key = key;
        }
    }

    private final Sender sender;
    private final int maxQueued;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Consumer<String> dropped;
    private final ScheduledExecutorService retries;
    private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Target> targets = new HashMap<>();
    private int queued;
    private volatile boolean closed;

    /** @param dropped told the reason of every notification given up ({@code queue_full}, ...): the metric */
    PushDeliveries(Sender sender, int maxQueued, int maxAttempts, Duration initialBackoff, Consumer<String> dropped) {
        this.sender = sender;
        this.maxQueued = Math.max(1, maxQueued);
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialBackoff = initialBackoff;
        this.dropped = dropped;
        this.retries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("push-retries").factory());
    }

    /**
     * Queues a notification for its target and returns at once.
     *
     * @param deliveryId what the webhook is told to deduplicate by ({@link PushDispatcher#DELIVERY_ID_HEADER})
     * @param settled run once when the delivery is done with (delivered, refused, given up or dropped)
     * @return false when it was dropped because the queue is full
     */
    boolean submit(PushConfig config, String deliveryId, String body, Runnable settled) {
        Delivery d = new Delivery(config, deliveryId, body, settled);
        Target start = null;
        boolean accepted = false;
        synchronized (this) {
            if (!closed && queued < maxQueued) {
                accepted = true;
                queued++;
                String key = config.taskId() + "/" + config.id();
                Target t = targets.get(key);
                if (t == null) {
                    t = new Target(key);
                    targets.put(key, t);
                    start = t;
                }
                t.queue.add(d); // behind earlier notifications of the same target, if any
            }
        }
        if (start != null) {
            attempt(start, d, 1, initialBackoff.toMillis());
        }
        if (accepted) {
            return true;
        }
        LOG.warnf("push: dropping a notification for task %s config %s: %d deliveries already wait (limit "
                + "codetether.gateway.push.max-queued)", config.taskId(), config.id(), maxQueued);
        drop(d, "queue_full");
        return false;
    }

    /** How many deliveries wait (in flight or for a retry). */
    synchronized int queued() {
        return queued;
    }

    private void attempt(Target t, Delivery d, int attempt, long backoffMs) {
        CompletableFuture.supplyAsync(() -> {
            try {
                return sender.send(d.config(), d.id(), d.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } catch (Exception e) {
                return -1; // connection refused, timeout: retried
            }
        }, requests).thenAccept(status -> {
            if (closed && status / 100 != 2) {
                return; // stopping: left unsettled, so its event is not committed and is delivered after a restart
            }
            if (status / 100 == 2) {
                done(t, d, null);
            } else if (status / 100 == 4 && status != 408 && status != 429) {
                LOG.warnf("push: webhook for task %s answered %d; not retrying", d.config().taskId(), status);
                done(t, d, "refused");
            } else if (attempt >= maxAttempts || closed) {
                LOG.warnf("push: giving up on task %s config %s after %d attempts", d.config().taskId(),
                        d.config().id(), attempt);
                done(t, d, "attempts_exhausted");
            } else {
                retries.schedule(() -> attempt(t, d, attempt + 1, backoffMs * 2), backoffMs, TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Settles the target's head and starts its next delivery, if any. */
    private void done(Target t, Delivery d, String dropReason) {
        Delivery next;
        synchronized (this) {
            queued--;
            t.queue.poll();
            next = t.queue.peek();
            if (next == null) {
                targets.remove(t.key);
            }
        }
        if (dropReason != null) {
            drop(d, dropReason);
        } else {
            d.settled().run();
        }
        if (next != null) {
            attempt(t, next, 1, initialBackoff.toMillis());
        }
    }

    private void drop(Delivery d, String reason) {
        try {
            dropped.accept(reason);
        } finally {
            d.settled().run();
        }
    }

    @Override
    public void close() {
        closed = true; // what waits for a retry is given up at its next attempt; unsettled ones are redelivered
        retries.shutdownNow();
        requests.shutdownNow();
    }
}
