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
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.ReadToEnd;

/**
 * Reads one task's events back from {@code tasks.events} (its key's partition, from the task's first event or its
 * creation time) for the dashboard's timeline: the log is the store, so any replica answers and no replica keeps
 * timelines in memory. Reads are bounded in records scanned, in time ({@link ReadToEnd}'s deadline: a broker that does
 * not answer fails the read with where it stood) and in how many run at once.
 */
public final class KafkaTimelineReader {
    /** A timeline read was refused because {@code concurrency} reads already run. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("too many timeline reads at once on this gateway replica; retry in a moment", null, false, false);
        }
    }

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
        try (KafkaConsumer<String, byte[]> c = KafkaBoardFeed.reader(kafka,
                "gateway-" + instanceId + "-dashboard-timeline")) {
            return scan(c, taskId, summary);
        } finally {
            slots.release();
        }
    }

    private Timeline scan(KafkaConsumer<String, byte[]> c, String taskId, TaskSummary summary) {
        List<TopicPartition> all = KafkaBoardFeed.partitions(c, Topics.TASKS_EVENTS);
        if (all.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + Topics.TASKS_EVENTS + " does not exist");
        }
        int p = summary != null && summary.partition() >= 0 ? summary.partition()
                : Utils.toPositive(Utils.murmur2(taskId.getBytes(StandardCharsets.UTF_8))) % all.size();
        TopicPartition tp = new TopicPartition(Topics.TASKS_EVENTS, p);
        Timeline.Builder timeline = new Timeline.Builder(taskId);
        long[] span = new long[3]; // begin, start, end of the partition as the read found them
        long[] scanned = {0};
        ReadToEnd.Result read = ReadToEnd.of("the timeline of task " + taskId, c, timeout).partitions(List.of(tp))
                .startAt((part, begin, end) -> {
                    span[0] = begin;
                    span[1] = start(c, part, summary, begin, end);
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
        boolean limitHit = !timeline.ended() && scanned[0] >= maxScan && read.next().get(tp) < span[2];
        boolean knownStart = summary != null && (summary.firstOffset() >= 0 || summary.createdAt() != null);
        return timeline.build(limitHit || (!knownStart && span[1] > span[0]), scanned[0]);
    }

    /** The task's first event when known; else its creation time; else the last {@code maxScan} events. */
    private long start(KafkaConsumer<String, byte[]> c, TopicPartition tp, TaskSummary s, long begin, long end) {
        if (s != null && s.firstOffset() >= 0 && s.partition() == tp.partition()) {
            return Math.max(begin, s.firstOffset());
        }
        Instant created = s == null ? null : s.createdAt();
        if (created != null) {
            Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(
                    Map.of(tp, created.minusSeconds(5).toEpochMilli()));
            OffsetAndTimestamp o = at.get(tp);
            if (o != null) {
                return Math.max(begin, Math.max(o.offset(), end - maxScan));
            }
        }
        return Math.max(begin, end - maxScan);
    }
}
