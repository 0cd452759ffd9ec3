package run.codetether.agent.infra.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Sessions in the compacted {@code agent.sessions} topic keyed by contextId. A save returns once the broker
 * acknowledged it (acks=all). A load asks the broker for the key's partition end, then the key index where the
 * session's latest record is, and reads that record (from a bounded local cache when it is the one this replica last
 * wrote or read), so a session written by any replica is always seen.
 *
 * <p>Thread-safe, and made for virtual threads: no broker call is made under a monitor. Loads of one session run one
 * at a time (a per-session lock, so a second load of it uses what the first read); loads of different sessions only
 * meet on the one reading consumer, which a {@link ReentrantLock} guards (a Kafka consumer is single-threaded) and
 * only for a record fetch. End offsets and partition counts come from a thread-safe admin client; the cache's lock
 * is held for map operations only.
 *
 * <p>{@link #saveSoon} sends without waiting. Records of one key land in order on one partition, so when a later
 * {@link #save} of the context is acknowledged the earlier ones are too, unless one failed: that failure is kept and
 * thrown by the next save of the context, so a lost save never goes unnoticed.
 */
public final class KafkaSessionStore implements SessionStore, AutoCloseable {
    private record Cached(long offset, byte[] value) {}

    public static final int DEFAULT_INDEX_MAX_KEYS = 200_000;
    private static final Duration INDEX_WAIT = Duration.ofSeconds(30);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(30);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final KafkaConsumer<String, byte[]> reader; // only with readerLock held
    private final ReentrantLock readerLock = new ReentrantLock();
    private final SessionLocks sessionLocks = new SessionLocks();
    /** Looked up on first use, so the service starts (and reports readiness) before the broker answers. */
    private volatile int partitions;
    /** First failure of a not-awaited save, per context, until the next awaited save reports it. */
    private final Map<String, String> failedSoon = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > 2_000;
        }
    };

    private final SessionKeyIndex index;
    /**
     * How long a save or a load waits out a broker outage: past the producer's delivery timeout (which fails a save
     * first). The fixed 30 s before failed a task whose session was saved while the broker restarted (issue 19's
     * broker kill drill: "cannot save session ... Timeout after waiting for 30000 ms").
     */
    private final Duration outageWait;

    public KafkaSessionStore(String bootstrapServers) {
        this(bootstrapServers, Topics.AGENT_SESSIONS, DEFAULT_INDEX_MAX_KEYS);
    }

    public KafkaSessionStore(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, DEFAULT_INDEX_MAX_KEYS);
    }

    /** @param indexMaxKeys contexts the key index may hold before loads of unseen contexts fall back to scans */
    public KafkaSessionStore(String bootstrapServers, String topic, int indexMaxKeys) {
        this(bootstrapServers, topic, indexMaxKeys, KafkaTuning.DEFAULTS);
    }

    /** @param tuning how long a save retries through a broker outage before it fails */
    public KafkaSessionStore(String bootstrapServers, String topic, int indexMaxKeys, KafkaTuning tuning) {
        this(KafkaClients.forBootstrap(bootstrapServers), topic, indexMaxKeys, tuning);
    }

    /** @param kafka the service's clients (every {@code kafka.*} setting, SASL/TLS included) */
    public KafkaSessionStore(KafkaClients kafka, String topic, int indexMaxKeys, KafkaTuning tuning) {
        this.topic = topic;
        this.index = new SessionKeyIndex(kafka, topic, indexMaxKeys);
        this.outageWait = tuning.deliveryTimeout().plusSeconds(5);
        // lz4 (the platform's default): a session is re-sent on every step, and gzip's CPU cost was a visible part
        // of each acknowledged save
        producer = kafka.producer("agent-sessions-" + UUID.randomUUID(), tuning.producer(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024))),
                new StringSerializer(), new ByteArraySerializer());
        admin = kafka.admin("agent-session-offsets-" + UUID.randomUUID());
        // targeted reads, never a tail: a prefetch left waiting at the broker (default 500 ms) would hold up the
        // next load's fetch, since a consumer has one fetch in flight per broker
        reader = kafka.consumer("agent-session-reader-" + UUID.randomUUID(), Optional.empty(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The topic's partition count, asked of the (thread-safe) admin client; no lock is held while it waits. */
    private int partitions() {
        int known = partitions;
        long deadline = System.nanoTime() + BROKER_WAIT.toNanos();
        while (known == 0) {
            try {
                known = admin.describeTopics(List.of(topic)).allTopicNames().get(BROKER_WAIT.toSeconds(), TimeUnit.SECONDS)
                        .get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot look up topic " + topic + ": " + e.getCause().getMessage(), e);
                }
                // a topic created a moment ago may not be known to the broker that answered yet
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot look up topic " + topic + " within " + BROKER_WAIT, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking up " + topic);
            }
            if (known == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no partitions: create it (see Topics)");
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while looking up " + topic);
                }
            }
        }
        partitions = known;
        return known;
    }

    private TopicPartition partitionOf(String contextId) {
        byte[] key = contextId.getBytes(StandardCharsets.UTF_8);
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % partitions());
    }

    @Override
    public void saveSoon(Session session) {
        String contextId = session.contextId;
        byte[] value = SessionCodec.encode(session);
        producer.send(new ProducerRecord<>(topic, contextId, value), (m, error) -> {
            if (error != null) {
                failedSoon.putIfAbsent(contextId, error.getMessage() == null ? error.toString() : error.getMessage());
            } else {
                remember(contextId, m.offset(), value);
                index.wrote(m.partition(), contextId, m.offset());
            }
        });
    }

    @Override
    public void save(Session session) {
        byte[] value = SessionCodec.encode(session);
        try {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, session.contextId, value))
                    .get(outageWait.toMillis(), TimeUnit.MILLISECONDS);
            String lost = failedSoon.remove(session.contextId);
            if (lost != null) {
                throw new IllegalStateException("an earlier save of session " + session.contextId + " to " + topic
                        + " failed: " + lost);
            }
            remember(session.contextId, m.offset(), value);
            index.wrote(m.partition(), session.contextId, m.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving session " + session.contextId);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot save session " + session.contextId + " to " + topic + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    @Override
    public Optional<Session> load(String contextId) {
        ReentrantLock mine = sessionLocks.of(contextId);
        mine.lock();
        try {
            TopicPartition tp = partitionOf(contextId);
            long end = endOffset(tp);
            SessionKeyIndex.Lookup found = index.lookup(tp.partition(), contextId, end, INDEX_WAIT);
            return switch (found) {
                case SessionKeyIndex.Lookup.Absent a -> {
                    forget(contextId);
                    yield Optional.empty();
                }
                case SessionKeyIndex.Lookup.Found f -> Optional.of(SessionCodec.decode(readAt(tp, contextId, f.offset())));
                case SessionKeyIndex.Lookup.Unavailable u -> scan(tp, contextId);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading session " + contextId);
        } finally {
            mine.unlock();
        }
    }

    /**
     * The partition's end (last stable offset), asked of the admin client: no lock, any thread. A broker that does
     * not answer (an outage) is asked again, each attempt {@code BROKER_WAIT} at most, until {@link #outageWait}.
     */
    private long endOffset(TopicPartition tp) throws InterruptedException {
        long deadline = System.nanoTime() + outageWait.toNanos();
        while (true) {
            try {
                return admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                        .partitionResult(tp).get(BROKER_WAIT.toSeconds(), TimeUnit.SECONDS).offset();
            } catch (ExecutionException | TimeoutException e) {
                boolean outage = e instanceof TimeoutException
                        || e.getCause() instanceof org.apache.kafka.common.errors.RetriableException;
                if (!outage || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read the end of " + tp + ": "
                            + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
                }
                Thread.sleep(1_000);
            }
        }
    }

    /** The record at a known offset: from the cache when it is the one cached, else one fetch. */
    private byte[] readAt(TopicPartition tp, String contextId, long offset) {
        Cached known = cached(contextId);
        if (known != null && known.offset() == offset) {
            return known.value();
        }
        byte[] value = null;
        readerLock.lock();
        try {
            reader.assign(List.of(tp));
            reader.seek(tp, offset);
            long deadline = System.nanoTime() + INDEX_WAIT.toNanos();
            while (value == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.offset() >= offset && contextId.equals(r.key()) && r.value() != null) {
                        value = r.value();
                        offset = r.offset();
                        break;
                    }
                }
            }
        } finally {
            readerLock.unlock();
        }
        if (value == null) {
            throw new IllegalStateException("session " + contextId + " is indexed at offset " + offset + " of " + tp
                    + " but could not be read within " + INDEX_WAIT);
        }
        remember(contextId, offset, value);
        return value;
    }

    /** Reads the key's partition from the last known offset (or the start) to its end. */
    private Optional<Session> scan(TopicPartition tp, String contextId) {
        Cached known = cached(contextId);
        long offset = known == null ? -1 : known.offset();
        byte[] value = known == null ? null : known.value();
        readerLock.lock();
        try {
            reader.assign(List.of(tp));
            long end = reader.endOffsets(List.of(tp)).get(tp);
            if (known != null) {
                reader.seek(tp, known.offset() + 1);
            } else {
                reader.seekToBeginning(List.of(tp));
            }
            while (reader.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (contextId.equals(r.key())) {
                        offset = r.offset();
                        value = r.value();
                    }
                }
            }
        } finally {
            readerLock.unlock();
        }
        if (value == null) {
            forget(contextId);
            return Optional.empty();
        }
        remember(contextId, offset, value);
        return Optional.of(SessionCodec.decode(value));
    }

    private Cached cached(String contextId) {
        synchronized (cache) { // map operations only, never a call
            return cache.get(contextId);
        }
    }

    private void remember(String contextId, long offset, byte[] value) {
        synchronized (cache) {
            Cached known = cache.get(contextId);
            if (known == null || known.offset() < offset) {
                cache.put(contextId, new Cached(offset, value));
            }
        }
    }

    private void forget(String contextId) {
        synchronized (cache) {
            cache.remove(contextId);
        }
    }

    @Override
    public List<Session> list() {
        Map<String, byte[]> latest = new LinkedHashMap<>();
        List<TopicPartition> all = new ArrayList<>();
        for (int i = 0, n = partitions(); i < n; i++) {
            all.add(new TopicPartition(topic, i));
        }
        readerLock.lock();
        try {
            reader.assign(all);
            reader.seekToBeginning(all);
            Map<TopicPartition, Long> ends = reader.endOffsets(all);
            while (all.stream().anyMatch(tp -> reader.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        latest.put(r.key(), r.value());
                    }
                }
            }
        } finally {
            readerLock.unlock();
        }
        return latest.values().stream().map(SessionCodec::decode).toList();
    }

    /** For tests: the lock of the one reading consumer. */
    ReentrantLock readerLock() {
        return readerLock;
    }

    @Override
    public void close() {
        index.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        readerLock.lock();
        try {
            reader.close(Duration.ofSeconds(5));
        } finally {
            readerLock.unlock();
        }
    }
}
