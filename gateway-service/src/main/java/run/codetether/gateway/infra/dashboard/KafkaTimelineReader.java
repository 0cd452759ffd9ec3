package run.codetether.gateway.infra.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.gateway.domain.dashboard.TaskSummary;
import run.codetether.gateway.domain.dashboard.Timeline;
import run.codetether.platform.kafka.CatchUp;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.ReadToEnd;

/**
 * Reads one task's events back from {@code tasks.events} (its key's partition, from the task's first event or its
 * creation time) for the dashboard's timeline: the log is the store, so any replica answers and no replica keeps
 * timelines in memory. Reads are bounded in records scanned, in time ({@link ReadToEnd}'s deadline: a broker that does
 * not answer fails the read with where it stood) and in how many run at once. A request path: a broker that is away
 * is not waited out ({@code codetether.kafka.outage-budget} is for start-ups and loops) but answered fast with
 * {@link Unavailable}, which the dashboard turns into a 503 to retry (issue 19).
 */
public final class KafkaTimelineReader {
    /** A timeline read was refused because {@code concurrency} reads already run. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("too many timeline reads at once on this gateway replica; retry in a moment", null, false, false);
        }
    }

    /** Kafka did not answer the read's first look-up in time: retry in a moment (the request did nothing). */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * How long the read's first look-up (the topic's partitions: one metadata round trip when the broker answers)
     * may take before the read answers {@link Unavailable}, so that a page asking during an outage is told at once.
     */
    public static final Duration FIRST_ANSWER = Duration.ofSeconds(2);

    /** The default of {@code codetether.gateway.dashboard.timeline-read-timeout}. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaClients kafka;
    private final String instanceId;
    private final int maxScan;
    private final Semaphore slots;
    private final Duration timeout;

    public KafkaTimelineReader(String bootstrapServers, String instanceId, int maxScan, int concurrency) {
        this(KafkaClients.forBootstrap(bootstrapServers), instanceId, maxScan, concurrency, DEFAULT_TIMEOUT);
    }

    /** @param timeout how long one read may take, broker look-ups included ({@code timeline-read-timeout}) */
    public KafkaTimelineReader(KafkaClients kafka, String instanceId, int maxScan, int concurrency,
            Duration timeout) {
        this.kafka = kafka;
        this.instanceId = instanceId;
        this.maxScan = maxScan;
        this.slots = new Semaphore(concurrency);
        this.timeout = timeout;
    }

    /** @param summary what the board knows of the task (where its events start), or null */
    public Timeline read(String taskId, TaskSummary summary) {
        if (!slots.tryAcquire()) {
            throw new Busy();
        }
        KafkaConsumer<String, byte[]> c = null;
        try {
            c = KafkaBoardFeed.reader(kafka, "gateway-" + instanceId + "-dashboard-timeline");
            return scan(c, taskId, summary, System.nanoTime() + timeout.toNanos());
        } finally {
            if (c != null) {
                c.close(Duration.ZERO); // a group-less reader has nothing to hand over; a hung broker is not waited on
            }
            slots.release();
        }
    }

    private Timeline scan(KafkaConsumer<String, byte[]> c, String taskId, TaskSummary summary, long deadline) {
        List<TopicPartition> all;
        Duration first = FIRST_ANSWER.compareTo(timeout) < 0 ? FIRST_ANSWER : timeout;
        try {
            all = CatchUp.partitionsOf(c, Topics.TASKS_EVENTS, first);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new Unavailable("Kafka did not answer within " + first + " (it may be restarting); retry in a"
                    + " moment", e);
        }
        if (all.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + Topics.TASKS_EVENTS + " does not exist");
        }
        int p = summary != null && summary.partition() >= 0 ? summary.partition()
                : Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % all.size();
        TopicPartition tp = new TopicPartition(Topics.TASKS_EVENTS, p);
        Timeline.Builder timeline = new Timeline.Builder(taskId);
        long[] span = new long[3]; // begin, start, end of the partition as the read found them
        long[] scanned = {0};
        ReadToEnd.Result read;
        try {
            read = readFrom(c, tp, taskId, summary, deadline, timeline, span, scanned);
        } catch (ReadToEnd.NotRead e) {
            if (!e.outage()) {
                throw e; // a slow read with the broker answering: not a retry-in-a-moment
            }
            throw new Unavailable(e.getMessage() + "; retry in a moment", e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) { // the creation time's offset look-up
            throw new Unavailable("the timeline of task " + taskId + " not read within " + timeout + ": "
                    + e.getMessage() + "; retry in a moment", e);
        }
        boolean limitHit = !timeline.ended() && scanned[0] >= maxScan && read.next().get(tp) < span[2];
        boolean knownStart = summary != null && (summary.firstOffset() >= 0 || summary.createdAt() != null);
        return timeline.build(limitHit || (!knownStart && span[1] > span[0]), scanned[0]);
    }

    /** Reads the task's partition from where {@link #start} says, within what is left of the deadline. */
    private ReadToEnd.Result readFrom(KafkaConsumer<String, byte[]> c, TopicPartition tp, String taskId,
            TaskSummary summary, long deadline, Timeline.Builder timeline, long[] span, long[] scanned) {
        return ReadToEnd.of("the timeline of task " + taskId, c, left(deadline))
                .partitions(List.of(tp))
                .outageBudget(Duration.ZERO) // a request: the page retries, the gateway does not hold it
                .startAt((part, begin, end) -> {
                    span[0] = begin;
                    span[1] = start(c, part, summary, begin, end, deadline);
                    span[2] = end;
                    return span[1];
                })
                .read(r -> {
                    scanned[0]++;
                    if (taskId.equals(r.key())) {
                        try {
                            timeline.add(r.offset(), ContractJson.read(r.value(), TaskEvent.class));
                        } catch (RuntimeException e) {
                            // unreadable events are logged by the gateway's reader; the timeline skips them
                        }
                    }
                    return !timeline.ended() && scanned[0] < maxScan;
                });
    }

    /** What is left of the read's time (it failed if nothing is: at least a millisecond, so a call fails at once). */
    private Duration left(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /** The task's first event when known; else its creation time; else the last {@code maxScan} events. */
    private long start(KafkaConsumer<String, byte[]> c, TopicPartition tp, TaskSummary s, long begin, long end,
            long deadline) {
        if (s != null && s.firstOffset() >= 0 && s.partition() == tp.partition()) {
            return Math.max(begin, s.firstOffset());
        }
        Instant created = s == null ? null : s.createdAt();
        if (created != null) {
            Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(
                    Map.of(tp, created.minusSeconds(5).toEpochMilli()), left(deadline));
            OffsetAndTimestamp o = at.get(tp);
            if (o != null) {
                return Math.max(begin, Math.max(o.offset(), end - maxScan));
            }
        }
        return Math.max(begin, end - maxScan);
    }
}
