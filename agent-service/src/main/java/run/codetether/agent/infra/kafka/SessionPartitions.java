package run.codetether.agent.infra.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Utils;

/** The sessions topic's partitions, and the one each session's log is kept in (the producer's default for its key). */
final class SessionPartitions {
    private final String topic;
    private final Admin admin;
    /** Looked up on first use, so the service starts (and reports readiness) before the broker answers. */
    private volatile int partitions;

    SessionPartitions(String topic, Admin admin) {
        this.topic = topic;
        this.admin = admin;
    }

    /** The topic's partition count, asked of the (thread-safe) admin client; no lock is held while it waits. */
    int count() {
        int known = partitions;
        long deadline = System.nanoTime() + KafkaSessionStore.BROKER_WAIT.toNanos();
        while (known == 0) {
            try {
                known = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(KafkaSessionStore.BROKER_WAIT.toSeconds(), TimeUnit.SECONDS).get(topic).partitions().size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot look up topic " + topic + ": " + e.getCause().getMessage(), e);
                }
                // a topic created a moment ago may not be known to the broker that answered yet
            } catch (TimeoutException e) {
                throw new IllegalStateException("cannot look up topic " + topic + " within "
                        + KafkaSessionStore.BROKER_WAIT, e);
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

    /** The partition of the session's log: every record of it (a delta's key hashes elsewhere) is sent there. */
    TopicPartition of(String contextId) {
        byte[] key = contextId.getBytes(StandardCharsets.UTF_8);
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key)) % count());
    }
}
