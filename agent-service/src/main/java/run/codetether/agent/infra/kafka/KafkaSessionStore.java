package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.agent.domain.session.Session;
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
 * <p>This class is the write path; loads are {@link SessionLoader}'s.
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
    /** Longest one broker lookup (partition count, a partition's end) waits for its answer. */
    static final Duration BROKER_WAIT = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(KafkaSessionStore.class);

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Admin admin;
    private final SessionRecords records;
    /** First failure of a not-awaited save, per context, until the next awaited save reports it. */
    private final Map<String, String> failedSoon = new ConcurrentHashMap<>();
    private final SessionHeads heads = new SessionHeads();
    private final SessionPartitions partitions;
    private final SessionKeyIndex index;
    /**
     * How long a save or a load waits out a broker outage: past the producer's delivery timeout (which fails a save
     * first). The fixed 30 s before failed a task whose session was saved while the broker restarted (issue 19's
     * broker kill drill: "cannot save session ... Timeout after waiting for 30000 ms").
     */
    private final Duration outageWait;
    /** The read side: loads and lists. */
    private final SessionLoader loader;

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
        this.index = new SessionKeyIndex(kafka, topic, indexMaxKeys);
        this.outageWait = tuning.deliveryTimeout().plusSeconds(5);
        // lz4 (the platform's default): gzip's CPU cost was a visible part of each acknowledged save
        producer = kafka.producer("agent-sessions-" + UUID.randomUUID(), tuning.producer(Map.of(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 * 1024 * 1024))),
                new StringSerializer(), new ByteArraySerializer());
        admin = kafka.admin("agent-session-offsets-" + UUID.randomUUID());
        records = new SessionRecords(kafka, indexWait, outageWait);
        partitions = new SessionPartitions(topic, admin);
        loader = new SessionLoader(topic, admin, partitions, index, records, heads, indexWait, outageWait);
    }

    /** What one save sends: the session's record, then tombstones of the deltas a new snapshot supersedes. */
    private record Outgoing(String key, byte[] value, List<String> superseded, SessionLogHead head) {}

    private Outgoing next(Session session) {
        SessionLogHead head = heads.get(session.contextId);
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
        int partition = partitions.of(contextId).partition();
        heads.set(contextId, out.head());
        Future<RecordMetadata> sent = producer.send(new ProducerRecord<>(topic, partition, out.key(), out.value()), (m, error) -> {
            if (error == null) {
                records.remember(out.key(), m.offset(), out.value());
                index.wrote(m.partition(), out.key(), m.offset());
            } else {
                heads.drop(contextId);
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
                heads.drop(contextId);
                throw new IllegalStateException("an earlier save of session " + contextId + " to " + topic + " failed: " + lost);
            }
        } catch (InterruptedException e) {
            heads.drop(contextId);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving session " + contextId);
        } catch (ExecutionException | TimeoutException e) {
            heads.drop(contextId);
            throw new IllegalStateException("cannot save session " + contextId + " to " + topic + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), e);
        }
    }

    @Override
    public Optional<Session> load(String contextId) {
        return loader.load(contextId);
    }

    @Override
    public List<Session> list() {
        return loader.list();
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
