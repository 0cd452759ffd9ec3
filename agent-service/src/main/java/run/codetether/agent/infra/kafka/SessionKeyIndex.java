package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.PollLoop;
import run.codetether.platform.kafka.Traffic;

/**
 * Where the latest session of each context sits in its partition of the compacted sessions topic. Without it, a
 * load of a context this replica has not seen (every new conversation) must scan the whole partition, which grows
 * with every session ever kept; with it, a load costs one end-offset lookup and at most one record fetch.
 *
 * <p>Every partition is indexed from the first load on ({@link #followAll}): read once from the beginning, then
 * followed by one background consumer on the platform's {@link PollLoop} (issue 20: no copied Kafka loop). Keys only
 * (no values), at most {@code maxKeys} in all; past that the index switches itself off, its loop ends, and loads scan
 * as before, so memory stays bounded. Every partition the first load names is assigned at once, so no lookup needs
 * to wake the loop for a partition of its own; a topic that grew is taken in before the next poll.
 *
 * <p>The broker holds the index's empty fetches for {@code codetether.kafka.rare-fetch-wait} ({@link Traffic#RARE},
 * 5 s) instead of Kafka's 500 ms: a save answers a held fetch at once, so a lookup waits no longer for the records it
 * needs, and an idle agent asks about once per hold instead of twice a second (issue 18: 2.1 fetches/s of the idle
 * stack's ~17). The index seeks only when it takes in partitions, which a store does once (its partition count is
 * looked up once): a topic grown later would be read from the end of the fetch held at the time, at most one hold.
 *
 * <p>Thread-safe. A lookup waits on a {@link Condition} of a {@link ReentrantLock}, not in a monitor, so a waiting
 * virtual thread leaves its carrier free; the lock is never held across a broker call (the loop polls and positions
 * outside it and only hands what it read over under it).
 */
final class SessionKeyIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SessionKeyIndex.class);

    /** The answer of a lookup. */
    sealed interface Lookup {
        record Found(long offset) implements Lookup {}

        record Absent() implements Lookup {}

        /** The index cannot answer (over its key limit, closed, or not caught up in time): scan instead. */
        record Unavailable(String why) implements Lookup {}
    }

    private final String topic;
    private final String clientId;
    private final int maxKeys;
    private final PollLoop<String, byte[]> loop;
    /** Partitions 0..wanted-1 are to be indexed (raised by {@link #followAll}). */
    private final AtomicInteger wanted = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever the indexer moved on or stopped. */
    private final Condition advanced = lock.newCondition();
    private final Map<Integer, Map<String, Long>> offsets = new HashMap<>(); // guarded by lock
    private final Map<Integer, Long> positions = new HashMap<>(); // guarded by lock
    private int keys; // guarded by lock
    private boolean started; // guarded by lock
    private int assigned; // the loop thread's only
    private volatile String off; // why the index stopped, or null while it works

    SessionKeyIndex(KafkaClients kafka, String topic, int maxKeys) {
        this(kafka, topic, maxKeys, Duration.ofMillis(200));
    }

    /** @param pollTimeout longest wait of one empty poll (tests lengthen it to see that no lookup waits for one) */
    SessionKeyIndex(KafkaClients kafka, String topic, int maxKeys, Duration pollTimeout) {
        this.topic = topic;
        this.maxKeys = maxKeys;
        this.clientId = "agent-session-index-" + UUID.randomUUID();
        KafkaConsumer<String, byte[]> consumer = kafka.consumer(clientId, Optional.empty(), Traffic.RARE,
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024)),
                new StringDeserializer(), new ByteArrayDeserializer());
        loop = PollLoop.builder("agent-session-index", consumer)
                .pollTimeout(pollTimeout)
                .closeTimeout(Duration.ofSeconds(2))
                .beforePoll(this::takeInNewPartitions)
                .onBatch(this::take)
                .onFailure(e -> {
                    stop("indexer failed: " + e.getMessage());
                    LOG.warn("session index stopped, loads scan their partition instead: " + e.getMessage());
                })
                .build();
    }

    /**
     * Starts indexing every partition of the topic at once (the first load calls it): a later load in a partition
     * no load touched yet finds it read already instead of waiting for its first read (issue 19: a lone task's run
     * start waited 470 ms there at load 30, and every partition's first task paid it).
     */
    void followAll(int partitionCount) {
        wanted.accumulateAndGet(partitionCount, Math::max);
        lock.lock();
        try {
            if (!started && off == null) {
                started = true;
                loop.start(); // starts a thread, sends nothing: the loop assigns before its first poll
            }
        } finally {
            lock.unlock();
        }
    }

    /** The key's latest offset once the partition is indexed up to {@code end} (waiting at most {@code timeout}). */
    Lookup lookup(int partition, String key, long end, Duration timeout) throws InterruptedException {
        if (off != null) {
            return new Lookup.Unavailable(off);
        }
        if (partition >= wanted.get()) {
            return new Lookup.Unavailable("partition " + partition + " of " + topic + " is not followed by the index");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (positions.getOrDefault(partition, -1L) < end) {
                long left = deadline - System.nanoTime();
                if (off != null) {
                    return new Lookup.Unavailable(off);
                }
                if (left <= 0) {
                    return new Lookup.Unavailable("index of partition " + partition + " not caught up in " + timeout);
                }
                advanced.awaitNanos(left);
            }
            if (off != null) {
                return new Lookup.Unavailable(off); // switched off while this lookup waited: its keys are gone
            }
            Long offset = offsets.getOrDefault(partition, Map.of()).get(key);
            return offset == null ? new Lookup.Absent() : new Lookup.Found(offset);
        } finally {
            lock.unlock();
        }
    }

    /** Records a save this replica made, so a load right after it needs no wait for the indexer. */
    void wrote(int partition, String key, long offset) {
        lock.lock();
        try {
            Map<String, Long> p = offsets.get(partition);
            if (p != null && off == null) {
                put(p, key, offset);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before each poll, on the loop thread: assigns partitions asked for since the last poll, from their beginning. A
     * partition is indexed up to its start at once: a lookup in an empty one (a new deployment, a quiet partition)
     * answers now instead of after a poll that finds nothing (200 ms; issue 19).
     */
    private void takeInNewPartitions(KafkaConsumer<String, byte[]> consumer) {
        int want = wanted.get();
        if (want <= assigned) {
            return;
        }
        List<TopicPartition> all = new ArrayList<>();
        List<TopicPartition> added = new ArrayList<>();
        for (int p = 0; p < want; p++) {
            TopicPartition tp = new TopicPartition(topic, p);
            all.add(tp);
            if (p >= assigned) {
                added.add(tp);
            }
        }
        consumer.assign(all);
        consumer.seekToBeginning(added);
        Map<Integer, Long> starts = new HashMap<>();
        for (TopicPartition tp : added) {
            starts.put(tp.partition(), consumer.position(tp));
        }
        assigned = want;
        advance(List.of(), starts);
    }

    /** Each poll's records (none included) and the positions it reached, on the loop thread. */
    private void take(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> consumer) {
        Map<Integer, Long> now = new HashMap<>();
        for (int p = 0; p < assigned; p++) {
            now.put(p, consumer.position(new TopicPartition(topic, p)));
        }
        if (!advance(records, now)) {
            // switched off (its key limit): the loop ends, from another thread since close() waits for the loop
            Thread.ofVirtual().name("agent-session-index-stop").start(loop::close);
        }
    }

    /** Takes in polled records and the positions reached; false once the index is off. */
    private boolean advance(Iterable<ConsumerRecord<String, byte[]>> records, Map<Integer, Long> now) {
        lock.lock();
        try {
            if (off != null) {
                return false;
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                Map<String, Long> p = offsets.computeIfAbsent(r.partition(), k -> new HashMap<>());
                if (r.value() == null) {
                    Long known = p.get(r.key());
                    if (known != null && known < r.offset()) {
                        p.remove(r.key());
                        keys--;
                    }
                } else {
                    put(p, r.key(), r.offset());
                }
            }
            now.forEach((p, position) -> {
                offsets.computeIfAbsent(p, k -> new HashMap<>());
                positions.put(p, position);
            });
            advanced.signalAll();
            return off == null;
        } finally {
            lock.unlock();
        }
    }

    private void put(Map<String, Long> partition, String key, long offset) {
        if (off != null) {
            return;
        }
        Long known = partition.get(key);
        if (known == null) {
            if (++keys > maxKeys) {
                stop("more than " + maxKeys + " sessions (codetether.agent.session-index-max-keys)");
                LOG.warn("session index switched off: more than " + maxKeys + " sessions; loads of unseen "
                        + "contexts scan their partition (raise codetether.agent.session-index-max-keys)");
                return;
            }
            partition.put(key, offset);
        } else if (known < offset) {
            partition.put(key, offset);
        }
    }

    /** Takes the lock (reentrant: callers may hold it). */
    private void stop(String why) {
        lock.lock();
        try {
            if (off == null) {
                off = why;
            }
            offsets.clear();
            keys = 0;
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The index consumer's client id, under which Kafka's client metrics count its fetches (tests). */
    String clientId() {
        return clientId;
    }

    /** Whether the index's loop ended (tests). */
    boolean loopEnded() {
        PollLoop.State s = loop.state();
        return s == PollLoop.State.STOPPED || s == PollLoop.State.FAILED;
    }

    @Override
    public void close() {
        stop("closed"); // under the lock: no start after it
        loop.close(); // outside the lock: waits for the loop thread, which takes the lock to hand its batch over
    }
}
