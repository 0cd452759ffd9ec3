package run.codetether.gateway.infra.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jboss.logging.Logger;
import run.codetether.contracts.a2a.Task;
import run.codetether.gateway.domain.StartSweep;
import run.codetether.gateway.domain.TaskLog;
import run.codetether.gateway.domain.TaskView;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.PollLoop;

/**
 * Runs the {@link StartSweep}: reads {@code tasks.requested} in a consumer group of the gateway replicas, so each
 * partition (and so each task, by its context's partition there) is judged by exactly one replica, and closes the
 * overdue SUBMITTED tasks whose work request it did not see.
 *
 * <p>A task is judged only when the absence of its request is certain: its partition is assigned here, was read
 * from before the task's submission (on assignment the reader seeks to a minute before the oldest task waiting
 * SUBMITTED), and was read up to a mark taken at least {@code after / 2} after the submission (far longer than the
 * client's send timeout, after which the gateway's own request can no longer land). Never committed: the group only
 * shares the partitions out. Everything but the verdict's writes happens on the loop's thread.
 */
public final class StartSweeper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StartSweeper.class);
    /** Read before the oldest waiting task's submission by this much (another replica's clock, LogAppendTime). */
    static final Duration SEEK_SLACK = Duration.ofMinutes(1);
    /** The consumer's retry backoff and, at most, the loop's poll timeout (how often an idle sweep wakes). */
    private static final Duration SLOW_RETRY = Duration.ofSeconds(1);

    private record Mark(long offset, Instant at) {}

    private final StartSweep rules;
    private final TaskView view;
    private final TaskLog log;
    private final String workerId;
    private final String topic;
    private final Duration margin;
    private final long everyNanos;
    private final PollLoop<String, byte[]> loop;
    /** Request keys read (task and message), with when: dropped once the task is no longer in progress. */
    private final Map<String, Instant> seen = new HashMap<>();
    private final Map<TopicPartition, Instant> readFrom = new HashMap<>();
    private final Map<TopicPartition, Mark> marks = new HashMap<>();
    private final Map<TopicPartition, Instant> coveredUntil = new HashMap<>();
    /** Tasks this replica closed whose closing status it has not folded yet (written once, not every round). */
    private final Set<String> closing = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong rounds = new AtomicLong();
    private volatile int assigned;
    private long nextRound;

    /**
     * @param group the gateways' sweep group (the replicas share tasks.requested's partitions out through it)
     * @param health where the loop reports (a dead sweep turns readiness down)
     */
    public StartSweeper(KafkaClients kafka, String topic, String group, String instanceId, StartSweep rules,
            TaskView view, TaskLog log, LoopHealth health) {
        this.rules = rules;
        this.view = view;
        this.log = log;
        this.workerId = instanceId;
        this.topic = topic;
        this.margin = rules.after().dividedBy(2);
        this.everyNanos = Math.clamp(rules.after().toNanos() / 4, 200_000_000L, 10_000_000_000L);
        KafkaConsumer<String, byte[]> consumer = kafka.consumer("gateway-start-sweep-" + instanceId,
                Optional.of(group), Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                        // the sweep judges after minutes: fetches gather 64 KiB or up to a round's interval
                        // (at most codetether.kafka.rare-fetch-wait) instead of answering for every few requests
                        // (one fetch each cost the reader more than the records, issue 20; 5 fetches/s idle at
                        // 200 ms, issue 18)
                        ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "65536",
                        ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(Math.min(
                                kafka.rareFetchWait().toMillis(), Math.max(200, everyNanos / 1_000_000))),
                        // the group's heartbeat thread wakes every retry backoff to see whether a heartbeat is due
                        // (10 wake-ups/s at Kafka's 100 ms, for a 3 s heartbeat); a sweep that judges after a
                        // minute can retry a failed request a second later (issue 18)
                        ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, String.valueOf(SLOW_RETRY.toMillis()),
                        ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, String.valueOf(SLOW_RETRY.toMillis())),
                new StringDeserializer(), new ByteArrayDeserializer());
        PollLoop.Builder<String, byte[]> b = PollLoop.builder("gateway-start-sweep", consumer)
                .onStart(c -> c.subscribe(List.of(topic), rebalances(c)))
                .beforePoll(this::maybeSweep)
                .onRecord(this::read)
                .recordErrors(PollLoop.RecordErrors.SKIP)
                .commit(PollLoop.Commit.NONE)
                // records answer the held fetch at once; the timeout only wakes the loop for its rounds
                .pollTimeout(Duration.ofMillis(Math.min(SLOW_RETRY.toMillis(), everyNanos / 1_000_000)));
        this.loop = (health == null ? b : b.health(health)).build();
    }

    public StartSweeper start() {
        loop.start();
        return this;
    }

    /** Partitions of tasks.requested this replica judges now. */
    public int assigned() {
        return assigned;
    }

    /** Sweep rounds run since start (tests wait for rounds instead of sleeping). */
    long rounds() {
        return rounds.get();
    }

    /** Tasks this replica closed since it started. */
    public long closed() {
        return closed.get();
    }

    private ConsumerRebalanceListener rebalances(KafkaConsumer<String, byte[]> c) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> parts) {
                if (parts.isEmpty()) {
                    return;
                }
                Instant from = oldestWaiting().minus(SEEK_SLACK);
                Map<TopicPartition, Long> at = new HashMap<>();
                parts.forEach(p -> at.put(p, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(at, Duration.ofSeconds(10));
                for (TopicPartition p : parts) {
                    OffsetAndTimestamp o = found.get(p);
                    if (o == null) {
                        c.seekToEnd(List.of(p)); // nothing written since: every request of a waiting task is later
                    } else {
                        c.seek(p, o.offset());
                    }
                    readFrom.put(p, from);
                    marks.remove(p);
                    coveredUntil.remove(p);
                }
                assigned = c.assignment().size();
                LOG.debugf("start sweep: judging %s, read from %s", parts, from);
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> parts) {
                forget(parts);
                assigned = Math.max(0, c.assignment().size() - parts.size());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> parts) {
                forget(parts);
                assigned = Math.max(0, c.assignment().size() - parts.size());
            }
        };
    }

    private void forget(Collection<TopicPartition> parts) {
        parts.forEach(p -> {
            readFrom.remove(p);
            marks.remove(p);
            coveredUntil.remove(p);
        });
    }

    /** When the oldest task that waits for its request was submitted (now when none waits). */
    private Instant oldestWaiting() {
        Instant oldest = Instant.now();
        for (Task t : view.inProgress()) {
            Instant since = t.status().timestamp();
            if (since != null && since.isBefore(oldest) && StartSweep.awaitedKey(t) != null) {
                oldest = since;
            }
        }
        return oldest;
    }

    private void read(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return;
        }
        seen.put(RequestKeys.of(r.value()), Instant.now());
    }

    private void maybeSweep(KafkaConsumer<String, byte[]> c) {
        long now = System.nanoTime();
        if (now - nextRound < 0) {
            return;
        }
        nextRound = now + everyNanos;
        Set<TopicPartition> mine = c.assignment();
        if (mine.isEmpty()) {
            return;
        }
        try {
            sweep(c, mine);
            rounds.incrementAndGet();
        } catch (RuntimeException e) {
            // a broker hiccup in endOffsets/partitionsFor: judge nothing this round rather than guess
            LOG.debugf("start sweep round skipped: %s", e.toString());
        }
    }

    private void sweep(KafkaConsumer<String, byte[]> c, Set<TopicPartition> mine) {
        // a partition read past its last mark has shown every request written before that mark was taken
        Instant markAt = Instant.now();
        Map<TopicPartition, Long> ends = c.endOffsets(mine, Duration.ofSeconds(5));
        for (TopicPartition p : mine) {
            Mark m = marks.get(p);
            if (m != null && c.position(p) >= m.offset()) {
                coveredUntil.put(p, m.at());
            }
            marks.put(p, new Mark(ends.get(p), markAt));
        }
        Instant now = Instant.now();
        List<Task> inProgress = view.inProgress();
        Set<String> live = new HashSet<>();
        inProgress.forEach(t -> live.add(t.id()));
        Instant stale = now.minus(rules.after());
        seen.entrySet().removeIf(e -> e.getValue().isBefore(stale)
                && !live.contains(e.getKey().substring(0, e.getKey().indexOf('\n'))));
        closing.retainAll(live);
        int partitions = c.partitionsFor(topic).size();
        for (Task t : rules.overdue(inProgress, now)) {
            TopicPartition p = new TopicPartition(topic, partitionOf(t.contextId(), partitions));
            Instant since = t.status().timestamp();
            Instant from = readFrom.get(p);
            Instant covered = coveredUntil.get(p);
            if (!mine.contains(p) || from == null || covered == null || from.isAfter(since)
                    || covered.isBefore(since.plus(margin)) || seen.containsKey(StartSweep.awaitedKey(t))
                    || !closing.add(t.id())) {
                continue;
            }
            close(t, now);
        }
    }

    private void close(Task t, Instant now) {
        StartSweep.Verdict v = StartSweep.verdict(t, workerId, now);
        LOG.warnf("task %s waited %s SUBMITTED and its work request never reached %s (its gateway stopped between "
                + "the two accept writes): %s", t.id(), Duration.between(t.status().timestamp(), now), topic,
                v.cancel() == null ? "back to waiting for input" : "rejected");
        if (v.cancel() != null) {
            log.controlPatiently(v.cancel());
        }
        log.appendEventsPatiently(t.id(), List.of(v.event())).whenComplete((ok, err) -> {
            if (err != null) {
                closing.remove(t.id()); // judged again next round
                LOG.warnf("task %s: the start sweep's closing status was not written (%s); retried", t.id(),
                        err.toString());
            } else {
                closed.incrementAndGet();
            }
        });
    }

    /** The partition Kafka's default partitioner gives a record keyed by {@code key} (tasks.requested: contextId). */
    static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void close() {
        loop.close();
    }
}
