package run.codetether.agent.infra.kafka;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.infra.kafka.SessionRecords.Cached;
import run.codetether.contracts.events.Topics;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Sessions in the compacted {@code agent.sessions} topic, each a log in its contextId's partition: a snapshot keyed
 * by the contextId, then deltas (the messages a step appended, and the session's small fields) under keys of the
 * snapshot's epoch ({@link SessionCodec}). A save writes a delta while the deltas stay smaller than their snapshot,
 * else a new snapshot and tombstones for the deltas it replaces ({@link SessionLogHead}), so a run of n steps writes
 * O(n) bytes, not the whole history at every step. A save returns once the broker acknowledged it (acks=all). A load
 * asks the broker for the partition's end, then the key index where the snapshot and its deltas are, and reads them
 * (from a local cache bounded in bytes when they are the records this replica last wrote or read), so a session
 * written by any replica is always seen.
 *
 * <p>Thread-safe, and made for virtual threads: no broker call is made under a monitor. Loads of one session run one
 * at a time (a per-session lock, so a second load of it uses what the first read); loads of different sessions only
 * meet on the one reading consumer, which a {@link ReentrantLock} guards (a Kafka consumer is single-threaded) and
 * only for record fetches. End offsets and partition counts come from a thread-safe admin client (the end offsets of
 * loads waiting at once in one request: the admin client has one call per broker in flight); the cache's and
 * the heads' locks are held for map operations only. One loop saves a session at a time (tasks are serialised per
 * contextId), which is what lets a save build on the head the previous save left.
 *
 * <p>{@link #saveSoon} sends without waiting. Records of one session land in order on one partition, so when a later
 * {@link #save} of the context is acknowledged the earlier ones are too, unless one failed: that failure is kept and
 * thrown by the next save of the context (and the save after it is a snapshot), so a lost save never goes unnoticed.
 */
public final class KafkaSessionStore implements SessionStore, AutoCloseable {
    public static final int DEFAULT_INDEX_MAX_KEYS = 200_000;
    /** The default of {@code codetether.agent.session-index-wait}. */
    public static final Duration DEFAULT_INDEX_WAIT = Duration.ofSeconds(30);
    private static final Duration BROKER_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(KafkaSessionStore.class);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final SessionRecords records;
    private final SessionLocks sessionLocks = new SessionLocks();
    /** Looked up on first use, so the service starts (and reports readiness) before the broker answers. */
    private volatile int partitions;
    /** First failure of a not-awaited save, per context, until the next awaited save reports it. */
    private final Map<String, String> failedSoon = new ConcurrentHashMap<>();
    private final Map<String, SessionLogHead> heads = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SessionLogHead> eldest) {
            return size() > 4_096;
        }
    };

    private final SessionKeyIndex index;
    /** The loads' end-offset lookups, one admin request for all those waiting at once. */
    private final EndOffsets ends;
    /**
     * How long a save or a load waits out a broker outage: past the producer's delivery timeout (which fails a save
     * first). The fixed 30 s before failed a task whose session was saved while the broker restarted (issue 19's
     * broker kill drill: "cannot save session ... Timeout after waiting for 30000 ms").
     */
    private final Duration outageWait;
    /**
     * How long a load waits for the key index to reach the partition's end, and for a targeted read of the records it
     * names ({@code codetether.agent.session-index-wait}); a read that runs out of it fails the load.
     */
    private final Duration indexWait;

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
        this(kafka, topic, indexMaxKeys, DEFAULT_INDEX_WAIT, tuning);
    }

    /**
     * @param indexWait how long a load waits for the key index and for reading the records it names before it fails
     *     ({@code codetether.agent.session-index-wait})
     */
    public KafkaSessionStore(KafkaClients kafka, String topic, int indexMaxKeys, Duration indexWait, KafkaTuning tuning) {
        if (indexWait.isNegative() || indexWait.isZero()) {
            throw new IllegalArgumentException("codetether.agent.session-index-wait must be positive, got " + indexWait);
        }
        this.topic = topic;
        this.indexWait = indexWait;
        this.index = new SessionKeyIndex(kafka, topic, indexMaxKeys);
        this.outageWait = tuning.deliveryTimeout().plusSeconds(5);
        // lz4 (the platform's default): gzip's CPU cost was a visible part of each acknowledged save
        producer = kafka.producer("agent-sessions-" + UUID.randomUUID(), tuning.producer(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024))),
                new StringSerializer(), new ByteArraySerializer());
        admin = kafka.admin("agent-session-offsets-" + UUID.randomUUID());
        ends = new EndOffsets(this::listEnds);
        records = new SessionRecords(kafka, indexWait, outageWait);
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

    /** What one save sends: the session's record, then tombstones of the deltas a new snapshot supersedes. */
    private record Outgoing(String key, byte[] value, List<String> superseded, SessionLogHead head) {}

    /** A session read back, and where its log stands. */
    private record Loaded(Session session, SessionLogHead head) {}

    private Outgoing next(Session session) {
        SessionLogHead head = head(session.contextId);
        if (head != null && head.canFollow(session)) {
            byte[] value = SessionCodec.encodeDelta(session, head.messages().size());
            return new Outgoing(SessionCodec.deltaKey(session.contextId, head.epoch(), head.seq() + 1), value, List.of(),
                    head.followedBy(session, value.length));
        }
        String epoch = SessionLogHead.newEpoch();
        byte[] value = SessionCodec.encodeSnapshot(session, epoch);
        List<String> superseded = new ArrayList<>();
        if (head != null && head.epoch() != null) {
            for (int seq = 1; seq <= head.seq(); seq++) {
                superseded.add(SessionCodec.deltaKey(session.contextId, head.epoch(), seq));
            }
        }
        return new Outgoing(session.contextId, value, superseded, SessionLogHead.snapshot(session, epoch, value.length));
    }

    /**
     * Sends a save's records to the session's partition (a delta's key hashes elsewhere; the log must stay in one
     * partition, in order). The returned future is the session record's; tombstones are not awaited: a lost one
     * only leaves a delta no load asks for.
     */
    private Future<RecordMetadata> send(String contextId, Outgoing out, Consumer<Exception> onFailure) {
        int partition = partitionOf(contextId).partition();
        setHead(contextId, out.head());
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, partition, out.key(), out.value()), (m, error) -> {
            if (error == null) {
                records.remember(out.key(), m.offset(), out.value());
                index.wrote(m.partition(), out.key(), m.offset());
            } else {
                dropHead(contextId);
                onFailure.accept(error);
            }
        });
        for (String old : out.superseded()) {
            records.forget(old);
            producer.send(new ProducerRecord<>(topic, partition, old, null), (m, error) -> {
                if (error != null) {
                    LOG.debugf("tombstone of %s not written (compaction keeps it): %s", old, error.getMessage());
                }
            });
        }
        return sent;
    }

    @Override
    public void saveSoon(Session session) {
        String contextId = session.contextId;
        send(contextId, next(session), error -> failedSoon.putIfAbsent(contextId,
                error.getMessage() == null ? error.toString() : error.getMessage()));
    }

    @Override
    public void save(Session session) {
        String contextId = session.contextId;
        try {
            send(contextId, next(session), error -> {}).get(outageWait.toMillis(), TimeUnit.MILLISECONDS);
            String lost = failedSoon.remove(contextId);
            if (lost != null) {
                dropHead(contextId);
                throw new IllegalStateException("an earlier save of session " + contextId + " to " + topic + " failed: " + lost);
            }
        } catch (InterruptedException e) {
            dropHead(contextId);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving session " + contextId);
        } catch (ExecutionException | TimeoutException e) {
            dropHead(contextId);
            throw new IllegalStateException("cannot save session " + contextId + " to " + topic + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    @Override
    public Optional<Session> load(String contextId) {
        SessionLocks.Held mine = sessionLocks.lock(contextId);
        try {
            long start = System.nanoTime();
            TopicPartition tp = partitionOf(contextId);
            index.followAll(partitions());
            long end = endOffset(tp);
            long ended = System.nanoTime();
            SessionKeyIndex.Lookup found = index.lookup(tp.partition(), contextId, end, indexWait);
            if (LOG.isDebugEnabled()) {
                LOG.debugf("session %s: end of %s in %d ms, index lookup (%s) in %d ms", contextId, tp,
                        (ended - start) / 1_000_000, found.getClass().getSimpleName(),
                        (System.nanoTime() - ended) / 1_000_000);
            }
            Optional<Loaded> loaded = switch (found) {
                case SessionKeyIndex.Lookup.Absent a -> Optional.empty();
                case SessionKeyIndex.Lookup.Found f -> fromIndex(tp, contextId, f.offset(), end);
                case SessionKeyIndex.Lookup.Unavailable u -> scan(tp, contextId);
            };
            loaded.ifPresentOrElse(l -> setHead(contextId, l.head()), () -> {
                dropHead(contextId);
                records.forget(contextId);
            });
            return loaded.map(Loaded::session);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading session " + contextId);
        } finally {
            mine.unlock();
        }
    }

    /**
     * The partition's end (last stable offset), asked of the admin client together with the other loads waiting at
     * the time ({@link EndOffsets}): no lock, any thread. A broker that does not answer (an outage) is asked again,
     * each attempt {@code BROKER_WAIT} at most, until {@link #outageWait}.
     */
    private long endOffset(TopicPartition tp) throws InterruptedException {
        long deadline = System.nanoTime() + outageWait.toNanos();
        while (true) {
            try {
                return ends.end(tp).get(BROKER_WAIT.toSeconds(), TimeUnit.SECONDS);
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

    /** One ListOffsets request (last stable offsets) for the partitions of the loads waiting together. */
    private CompletionStage<Map<TopicPartition, Long>> listEnds(Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .toCompletionStage().thenApply(answer -> {
                    Map<TopicPartition, Long> out = new HashMap<>();
                    answer.forEach((tp, info) -> out.put(tp, info.offset()));
                    return out;
                });
    }

    /** The snapshot the index points at and the deltas the index holds after it; a scan when the index stops. */
    private Optional<Loaded> fromIndex(TopicPartition tp, String contextId, long snapshotOffset, long end)
            throws InterruptedException {
        Map<String, Long> wanted = new LinkedHashMap<>();
        wanted.put(contextId, snapshotOffset);
        Map<String, Cached> log = records.read(tp, wanted);
        Cached snapshot = log.get(contextId);
        if (snapshot == null) {
            throw new IllegalStateException("session " + contextId + " is indexed at offset " + snapshotOffset + " of "
                    + tp + " but could not be read within " + indexWait + " (codetether.agent.session-index-wait)");
        }
        String epoch = SessionCodec.decodeEpoch(snapshot.value());
        Map<String, Long> deltas = new LinkedHashMap<>();
        long previous = snapshotOffset;
        for (int seq = 1; epoch != null && seq <= SessionLogHead.MAX_DELTAS; seq++) {
            String key = SessionCodec.deltaKey(contextId, epoch, seq);
            SessionKeyIndex.Lookup found = index.lookup(tp.partition(), key, end, indexWait);
            if (found instanceof SessionKeyIndex.Lookup.Unavailable) {
                return scan(tp, contextId);
            }
            if (!(found instanceof SessionKeyIndex.Lookup.Found f) || f.offset() <= previous) {
                break;
            }
            deltas.put(key, f.offset());
            previous = f.offset();
        }
        log.putAll(records.read(tp, deltas));
        return Optional.of(assemble(contextId, log));
    }

    /** Reads the key's partition from the session's last known snapshot (or the start) to its end. */
    private Optional<Loaded> scan(TopicPartition tp, String contextId) {
        Map<String, Cached> found = records.scan(tp, contextId);
        return found.containsKey(contextId) ? Optional.of(assemble(contextId, found)) : Optional.empty();
    }

    /**
     * The session from its snapshot and the deltas of its epoch that follow it in order. A missing or misplaced delta
     * ends the chain there, and the next save is a snapshot.
     */
    private static Loaded assemble(String contextId, Map<String, Cached> log) {
        Cached snapshot = log.get(contextId);
        SessionCodec.Snapshot decoded = SessionCodec.decodeSnapshot(snapshot.value());
        Session session = decoded.session();
        int applied = 0;
        long deltaBytes = 0;
        boolean gap = false;
        long previous = snapshot.offset();
        for (int seq = 1; decoded.epoch() != null && seq <= SessionLogHead.MAX_DELTAS; seq++) {
            Cached delta = log.get(SessionCodec.deltaKey(contextId, decoded.epoch(), seq));
            if (delta == null || delta.offset() <= previous) {
                break;
            }
            if (!SessionCodec.apply(session, delta.value())) {
                gap = true;
                break;
            }
            applied++;
            deltaBytes += delta.value().length;
            previous = delta.offset();
        }
        return new Loaded(session, SessionLogHead.read(session, decoded.epoch(), applied, snapshot.value().length,
                deltaBytes, gap));
    }

    private SessionLogHead head(String contextId) {
        synchronized (heads) {
            return heads.get(contextId);
        }
    }

    private void setHead(String contextId, SessionLogHead head) {
        synchronized (heads) {
            heads.put(contextId, head);
        }
    }

    private void dropHead(String contextId) {
        synchronized (heads) {
            heads.remove(contextId);
        }
    }

    @Override
    public List<Session> list() {
        List<TopicPartition> all = new ArrayList<>();
        for (int i = 0, n = partitions(); i < n; i++) {
            all.add(new TopicPartition(topic, i));
        }
        Map<String, Cached> latest = records.latest(all);
        Map<String, Map<String, Cached>> byContext = new LinkedHashMap<>();
        latest.forEach((key, c) -> byContext.computeIfAbsent(SessionCodec.contextOf(key), k -> new HashMap<>()).put(key, c));
        List<Session> out = new ArrayList<>();
        byContext.forEach((contextId, log) -> {
            if (log.containsKey(contextId)) {
                out.add(assemble(contextId, log).session());
            }
        });
        return out;
    }

    /** For tests: the lock of the one reading consumer. */
    ReentrantLock readerLock() {
        return records.readerLock();
    }

    @Override
    public void close() {
        index.close();
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
        records.close();
    }
}
