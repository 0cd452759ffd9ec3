package run.codetether.agent.infra.kafka;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.ReadToEnd;

/**
 * The reading side of the session store: one consumer for targeted reads of session records (snapshots and deltas)
 * behind a {@link ReentrantLock} (a Kafka consumer is single-threaded; a waiting virtual thread does not pin its
 * carrier), and a cache of the records this replica last wrote or read, bounded in bytes, so a load of a session
 * this replica just saved fetches nothing. Thread-safe; the cache's lock is held for map operations only.
 */
final class SessionRecords implements AutoCloseable {
    /** A record of the log: its offset and value. */
    record Cached(long offset, byte[] value) {}

    private static final long CACHE_MAX_BYTES = 64L * 1024 * 1024;

    private final KafkaConsumer<String, byte[]> reader; // only with readerLock held
    private final ReentrantLock readerLock = new ReentrantLock();
    private final Duration wait;
    private final Duration scanWait;
    /** Records by key, least recently used first, at most {@link #CACHE_MAX_BYTES} of values. */
    private final Map<String, Cached> cache = new LinkedHashMap<>(256, 0.75f, true);
    private long cachedBytes; // guarded by cache

    /**
     * @param wait how long a read waits for the records it was told exist
     * @param scanWait how long a scan of partitions to their end may take (a broker outage included)
     */
    SessionRecords(KafkaClients kafka, Duration wait, Duration scanWait) {
        this.wait = wait;
        this.scanWait = scanWait;
        // targeted reads, never a tail: a prefetch left waiting at the broker (default 500 ms) would hold up the
        // next load's fetch, since a consumer has one fetch in flight per broker
        reader = kafka.consumer("agent-session-reader-" + UUID.randomUUID(), Optional.empty(), Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 * 1024 * 1024),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "5"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The records at (or, when compaction moved nothing but the reader skips, after) the wanted offsets: from the
     * cache when it holds that record, else one pass of the reading consumer from the first missing offset to the
     * last (offsets the index was told exist: no end offsets asked). A record compacted away is simply absent from
     * the answer.
     *
     * @throws ReadToEnd.NotRead when the records are not read within the wait (a partial answer would drop deltas)
     */
    Map<String, Cached> read(TopicPartition tp, Map<String, Long> wanted) {
        Map<String, Cached> found = new HashMap<>();
        Map<String, Long> missing = new HashMap<>();
        wanted.forEach((key, offset) -> {
            Cached known = cached(key);
            if (known != null && known.offset() == offset) {
                found.put(key, known);
            } else {
                missing.put(key, offset);
            }
        });
        if (missing.isEmpty()) {
            return found;
        }
        long first = Collections.min(missing.values());
        long last = Collections.max(missing.values());
        readerLock.lock();
        try {
            ReadToEnd.of("session records " + missing.keySet() + " of " + tp, reader, wait)
                    .partitions(List.of(tp)).startAt(Map.of(tp, first)).until(Map.of(tp, last + 1))
                    .read(r -> {
                        Long at = missing.get(r.key());
                        if (at != null && r.offset() >= at && r.value() != null) {
                            missing.remove(r.key());
                            found.put(r.key(), new Cached(r.offset(), r.value()));
                            remember(r.key(), r.offset(), r.value());
                        }
                        return !missing.isEmpty();
                    });
        } finally {
            readerLock.unlock();
        }
        return found;
    }

    /**
     * Every record of one session in its partition, from its last known snapshot (or the start) to the end offset
     * of the scan's start: the scan of a load the key index cannot answer.
     *
     * @throws ReadToEnd.NotRead when the partition is not read within the scan wait
     */
    Map<String, Cached> scan(TopicPartition tp, String contextId) {
        Map<String, Cached> records = new HashMap<>();
        Cached known = cached(contextId);
        readerLock.lock();
        try {
            ReadToEnd<String, byte[]> read = ReadToEnd.of("session " + contextId + " (a scan of " + tp + ")", reader,
                    scanWait).partitions(List.of(tp));
            if (known != null) {
                read.startAt(Map.of(tp, known.offset())); // the log's records come after its snapshot
            }
            read.forEach(r -> {
                if (contextId.equals(SessionCodec.contextOf(r.key()))) {
                    keep(records, r);
                }
            });
        } finally {
            readerLock.unlock();
        }
        records.forEach((key, c) -> remember(key, c.offset(), c.value()));
        return records;
    }

    /**
     * The latest record of every key in the partitions (for a listing of every session).
     *
     * @throws ReadToEnd.NotRead when the partitions are not read within the scan wait
     */
    Map<String, Cached> latest(List<TopicPartition> all) {
        Map<String, Cached> latest = new LinkedHashMap<>();
        readerLock.lock();
        try {
            ReadToEnd.of("every session (" + all.size() + " partitions)", reader, scanWait).partitions(all)
                    .forEach(r -> keep(latest, r));
        } finally {
            readerLock.unlock();
        }
        return latest;
    }

    private static void keep(Map<String, Cached> records, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            records.remove(r.key());
        } else {
            records.put(r.key(), new Cached(r.offset(), r.value()));
        }
    }

    Cached cached(String key) {
        synchronized (cache) { // map operations only, never a call
            return cache.get(key);
        }
    }

    void remember(String key, long offset, byte[] value) {
        synchronized (cache) {
            Cached known = cache.get(key);
            if (known == null || known.offset() < offset) {
                cachedBytes += value.length - (known == null ? 0 : known.value().length);
                cache.put(key, new Cached(offset, value));
                Iterator<Cached> eldest = cache.values().iterator();
                while (cachedBytes > CACHE_MAX_BYTES && cache.size() > 1 && eldest.hasNext()) {
                    cachedBytes -= eldest.next().value().length;
                    eldest.remove();
                }
            }
        }
    }

    void forget(String key) {
        synchronized (cache) {
            Cached gone = cache.remove(key);
            if (gone != null) {
                cachedBytes -= gone.value().length;
            }
        }
    }

    /** For tests: the lock of the one reading consumer. */
    ReentrantLock readerLock() {
        return readerLock;
    }

    @Override
    public void close() {
        readerLock.lock();
        try {
            reader.close(Duration.ofSeconds(5));
        } finally {
            readerLock.unlock();
        }
    }
}
