package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.infra.kafka.SessionRecords.Cached;

/**
 * The read side of {@link KafkaSessionStore}: a load asks the broker for the partition's end, then the key index where
 * the session's snapshot and its deltas are, and reads them ({@link SessionRecords}: from its cache when they are the
 * records this replica last wrote or read), so a session written by any replica is always seen. Where the index
 * cannot answer, the partition is scanned. Each load leaves the session's {@link SessionHeads head} for the next save.
 */
final class SessionLoader {
    /** The store's log category, which these messages always had (log settings may name it). */
    private static final Logger LOG = Logger.getLogger(KafkaSessionStore.class);

    private final String topic;
    private final Admin admin;
    private final SessionPartitions partitions;
    private final SessionKeyIndex index;
    private final SessionRecords records;
    private final SessionHeads heads;
    private final SessionLocks sessionLocks = new SessionLocks();
    /** The loads' end-offset lookups, one admin request for all those waiting at once. */
    private final EndOffsets ends;
    /** How long a load waits for the key index and for a targeted read (codetether.agent.session-index-wait). */
    private final Duration indexWait;
    /** How long a load waits out a broker outage (the store's {@code outageWait}). */
    private final Duration outageWait;

    /** A session read back, and where its log stands. */
    private record Loaded(Session session, SessionLogHead head) {}

    SessionLoader(String topic, Admin admin, SessionPartitions partitions, SessionKeyIndex index,
            SessionRecords records, SessionHeads heads, Duration indexWait, Duration outageWait) {
        this.topic = topic;
        this.admin = admin;
        this.partitions = partitions;
        this.index = index;
        this.records = records;
        this.heads = heads;
        this.indexWait = indexWait;
        this.outageWait = outageWait;
        this.ends = new EndOffsets(this::listEnds);
    }

    Optional<Session> load(String contextId) {
        SessionLocks.Held mine = sessionLocks.lock(contextId);
        try {
            long start = System.nanoTime();
            TopicPartition tp = partitions.of(contextId);
            index.followAll(partitions.count());
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
            loaded.ifPresentOrElse(l -> heads.set(contextId, l.head()), () -> {
                heads.drop(contextId);
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
                return ends.end(tp).get(KafkaSessionStore.BROKER_WAIT.toSeconds(), TimeUnit.SECONDS);
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

    /** Every session in the topic, each from its latest snapshot and deltas. */
    List<Session> list() {
        List<TopicPartition> all = new ArrayList<>();
        for (int i = 0, n = partitions.count(); i < n; i++) {
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
}
