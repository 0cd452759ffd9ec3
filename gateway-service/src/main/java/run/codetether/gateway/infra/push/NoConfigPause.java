package run.codetether.gateway.infra.push;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import run.codetether.gateway.domain.IdleSignal;
import run.codetether.gateway.domain.PushConfigStore;

/**
 * What the push reader does while no task has a config: fetching and skipping every event cost the gateway CPU per
 * task for nothing (issue 18), so its partitions are paused, and every {@link #SKIP_EVERY} the group's position
 * moves to their end. The end offsets are read before the store is looked at, so every event behind them was written
 * while no config existed here: the same check the reader makes per event (by key), made for all of them at once.
 * When a config appears the reader resumes from the last skip; events after it are read and checked as usual. A
 * lookup that times out in a broker outage throws out of {@link #beforePoll}; the loop tries the pass again with
 * backoff for {@code codetether.kafka.outage-budget} (issue 19: once it ended the reader, and the gateway exited 4).
 *
 * <p>Between two polls the idle reader sleeps here, on the loop's thread, until the store says a config was
 * stored (then it resumes at once: a config's first delivery waits no poll timeout), the next skip is due, or
 * {@link #SLEEP_AT_MOST}: a paused consumer polled every 200 ms woke the thread 20 times a second. The group is
 * served by its heartbeat thread meanwhile; a rebalance is joined at the next poll. A skip every 10 s instead of
 * 2 s saves an offsets request every 2 s; a config that appears resumes from up to 10 s back (each event read
 * again is skipped by its key without decoding). Reader thread only, but {@link #close}.
 */
final class NoConfigPause {
    /** While no config exists: how often the paused reader's position moves to the partitions' ends. */
    static final Duration SKIP_EVERY = Duration.ofSeconds(10);
    /**
     * While no config exists: the longest the reader sleeps between two polls. The group's rebalances are joined in
     * a poll, so this is how long a joining or leaving replica may wait for this one.
     */
    static final Duration SLEEP_AT_MOST = Duration.ofSeconds(2);

    private final PushConfigStore store;
    /**
     * Rung by the config store when a config is stored: the idle reader sleeps on it between two skips instead of
     * polling its paused partitions every 200 ms (issue 18), and a config that appears wakes it at once.
     */
    private final IdleSignal configs = new IdleSignal();
    /** How often the idle reader skips ahead, and the longest it sleeps (tests change them). */
    private Duration skipEvery = SKIP_EVERY;
    private Duration sleepAtMost = SLEEP_AT_MOST;
    /** Whether the reader's partitions are paused because no task has a config; and when it last skipped ahead. */
    private boolean idle;
    private long skippedAt;

    NoConfigPause(PushConfigStore store) {
        this.store = store;
        store.onStored(configs::ring);
    }

    /** How often the idle reader skips to the partitions' ends, and how long it sleeps at most (before start). */
    void pace(Duration skipEvery, Duration sleepAtMost) {
        this.skipEvery = skipEvery;
        this.sleepAtMost = sleepAtMost;
    }

    /** Partitions assigned while no config exists are paused before the next poll fetches them. */
    void assigned(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> parts) {
        if (store.isEmpty()) {
            // before this poll fetches them: the next look skips them to their ends
            c.pause(parts);
            idle = true;
            skippedAt = System.nanoTime() - skipEvery.toNanos();
        }
    }

    /** Before each poll: skips ahead when due and sleeps while no config exists; resumes once one does. */
    void beforePoll(KafkaConsumer<String, byte[]> c, PushPositions positions) {
        Set<TopicPartition> assigned = c.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        long rang = configs.rings(); // before the store is looked at: a config stored after it ends the sleep
        long now = System.nanoTime();
        boolean skipped = false;
        if (!idle || now - skippedAt >= skipEvery.toNanos()) {
            Map<TopicPartition, Long> ends = store.isEmpty() ? c.endOffsets(assigned, Duration.ofSeconds(5)) : null;
            if (ends != null && store.isEmpty()) {
                c.pause(assigned);
                ends.forEach((tp, end) -> {
                    if (end > c.position(tp)) {
                        c.seek(tp, end);
                    }
                    positions.polled(tp, c.position(tp));
                });
                positions.commit(false);
                idle = true;
                skippedAt = now;
                skipped = true;
            }
        }
        if (idle && store.isEmpty()) {
            if (!skipped) {
                c.pause(assigned); // a partition assigned since the last skip
            }
            sleepUntilConfig(rang, Math.min(sleepAtMost.toNanos(),
                    skipEvery.toNanos() - (System.nanoTime() - skippedAt)));
        }
        if (idle && !store.isEmpty()) {
            c.resume(c.paused());
            idle = false;
        }
    }

    private void sleepUntilConfig(long rang, long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            configs.await(rang, Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            throw new org.apache.kafka.common.errors.InterruptException(e); // closing: the loop stops cleanly
        }
    }

    /** Wakes and ends a sleep (the reader is closing: it sleeps here, not in the consumer). */
    void close() {
        configs.close();
    }
}
