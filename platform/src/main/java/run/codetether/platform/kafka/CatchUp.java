package run.codetether.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * "Read to the end, then follow" for a reader that takes every partition of one topic itself (no group assignment):
 * it assigns them, positions the consumer (from the beginning, the end, or the group's committed offsets), notes the
 * end offsets of that moment, and tells once the reader has read up to them, so a service serves only after it has
 * seen what was written before it started (task view, push configs, worker registry). Used with a {@link PollLoop}:
 * {@link #assign} before the loop starts or in its {@code onStart}, {@link #check} in its {@code beforePoll}.
 * A one-shot read that ends at the end offsets is a {@link ReadToEnd} ({@link #readAll} for a whole topic).
 * Thread-safe.
 */
public final class CatchUp {
    /** Where an assigned reader starts. */
    public enum From {
        /** Every record the topic still holds (a compacted topic: the latest value of every key). */
        BEGINNING,
        /** Only what is written after {@link #assign} (positions resolved there, so nothing sent after it is missed). */
        END,
        /** The consumer group's committed position ({@code auto.offset.reset} for a partition without one). */
        COMMITTED
    }

    private final CountDownLatch reached = new CountDownLatch(1);
    private volatile Map<TopicPartition, Long> end;
    private volatile List<TopicPartition> partitions = List.of();

    /**
     * The partitions of a topic; empty when the topic does not exist (yet). One try: a broker that does not answer
     * within the timeout fails it (a request path answers "retry" rather than wait).
     */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration timeout) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
        List<TopicPartition> out = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> out.add(new TopicPartition(topic, i.partition())));
        }
        return out;
    }

    /**
     * The partitions of a topic, each try within {@code timeout}, tried again while the broker does not answer for up
     * to {@code outageBudget} ({@link OutageRetry}); empty when the topic does not exist (yet).
     *
     * @throws OutageRetry.Spent when the broker did not answer for longer than the budget
     */
    public static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, String topic, Duration timeout,
            Duration outageBudget) {
        return OutageRetry.call("the partitions of " + topic, outageBudget,
                () -> partitionsOf(consumer, topic, timeout));
    }

    /**
     * Assigns every partition of the topic and positions the consumer. Each look-up is tried again while the broker
     * does not answer, for the consumer's outage budget ({@link OutageRetry#budgetOf}): a start waits the outage
     * out (issue 19).
     *
     * @throws IllegalStateException when the topic does not exist, or the broker did not answer for longer than the
     *         budget ({@link OutageRetry.Spent})
     */
    public List<TopicPartition> assign(Consumer<?, ?> consumer, String topic, From from, Duration timeout) {
        List<TopicPartition> parts = partitionsOf(consumer, topic, timeout, OutageRetry.budgetOf(consumer));
        if (parts.isEmpty()) {
            throw new IllegalStateException("Kafka topic " + topic + " does not exist (it is in Topics.all: create"
                    + " it, or let the service create its topics)");
        }
        assign(consumer, parts, from, timeout);
        return parts;
    }

    /**
     * Assigns these partitions, positions the consumer and notes the end offsets to catch up with; the look-ups wait
     * out an outage as {@link #assign(Consumer, String, From, Duration)} does.
     */
    public void assign(Consumer<?, ?> consumer, List<TopicPartition> parts, From from, Duration timeout) {
        Duration budget = OutageRetry.budgetOf(consumer);
        consumer.assign(parts);
        switch (from) {
            case BEGINNING -> consumer.seekToBeginning(parts);
            case END -> {
                consumer.seekToEnd(parts);
                // resolve now: a record sent after assign must not be skipped
                OutageRetry.call("the end positions of " + parts, budget, () -> {
                    parts.forEach(tp -> consumer.position(tp, timeout));
                    return null;
                });
            }
            case COMMITTED -> { } // the group's position, resolved on the first poll
        }
        partitions = List.copyOf(parts);
        end = Map.copyOf(OutageRetry.call("the end offsets of " + parts, budget,
                () -> consumer.endOffsets(parts, timeout)));
    }

    /**
     * A loop over what {@link #assign} assigns (before the loop starts, or in its {@code onStart}) that tells
     * {@link #check} before each poll; a record without a key is not handed on (the keyed topics it reads: worker
     * registry, calls and results).
     */
    public <K, V> PollLoop.Builder<K, V> loop(String name, KafkaConsumer<K, V> consumer, LoopHealth health,
            java.util.function.Consumer<ConsumerRecord<K, V>> keyed) {
        return PollLoop.builder(name, consumer)
                .beforePoll(this::check)
                .onRecord(r -> {
                    if (r.key() != null) {
                        keyed.accept(r);
                    }
                })
                .health(health);
    }

    /** The partitions last assigned. */
    public List<TopicPartition> partitions() {
        return partitions;
    }

    /** After a poll (or before the next): counts down once the consumer's position reached the end offsets. */
    public void check(Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> e = end;
        if (e == null || reached.getCount() == 0) {
            return;
        }
        for (Map.Entry<TopicPartition, Long> p : e.entrySet()) {
            if (consumer.position(p.getKey()) < p.getValue()) {
                return;
            }
        }
        reached.countDown();
    }

    public boolean reached() {
        return reached.getCount() == 0;
    }

    /** Whether the reader caught up within the timeout. */
    public boolean await(Duration timeout) throws InterruptedException {
        return reached.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for the reader to catch up, or fails with what was not read in time.
     *
     * @throws IllegalStateException when it did not catch up within the timeout, or the wait was interrupted
     */
    public void awaitOrFail(Duration timeout, String what) {
        try {
            if (!await(timeout)) {
                throw new IllegalStateException(what + " not read within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + what, e);
        }
    }

    /**
     * Reads every record a topic holds now, from the beginning to the end offsets of the start, on the calling
     * thread (a compacted topic's state restored before a service serves), then returns; the consumer stays open.
     * A {@link ReadToEnd} over the whole topic.
     *
     * @throws IllegalStateException when the topic does not exist or the read takes longer than the timeout
     */
    public static <K, V> void readAll(KafkaConsumer<K, V> consumer, String topic, Duration timeout,
            java.util.function.Consumer<ConsumerRecord<K, V>> handler) {
        ReadToEnd.of(topic, consumer, timeout).topic(topic).forEach(handler);
    }
}
