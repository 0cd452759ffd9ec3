package run.codetether.gateway.infra.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import run.codetether.platform.kafka.KafkaClients;

/**
 * Consumer lag per group and topic, from Kafka's AdminClient: for every consumer group, the end offset of each
 * partition it committed minus its committed offset. Groups that commit nothing (the gateways' dashboard readers,
 * swarm watchers that only assign) have no lag to show and are not listed.
 *
 * <p>Thread-safe. The admin client is thread-safe, so no lock is held while it waits for the broker (issue 20 point
 * 5): a read stuck on a broker that does not answer holds up neither another read nor {@link #close()}. The lock only
 * guards creating the client (once) and taking it away.
 */
public final class KafkaLagReader implements AutoCloseable {
    /** Lag of one consumer group on one topic, summed over the partitions it committed. */
    public record GroupLag(String group, String topic, long lag, int partitions, String state) {}

    private final KafkaClients kafka;
    private final long timeoutMs;
    private final Object lock = new Object();
    private Admin admin; // guarded by lock
    private boolean closed; // guarded by lock

    public KafkaLagReader(KafkaClients kafka, long timeoutMs) {
        this.kafka = kafka;
        this.timeoutMs = timeoutMs;
    }

    public List<GroupLag> read() throws Exception {
        Admin admin = admin();
        Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
        Map<String, String> states = new HashMap<>();
        for (GroupListing g : groups) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(g.groupId())
                    .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
            offsets.values().removeIf(o -> o == null);
            if (!offsets.isEmpty()) {
                committed.put(g.groupId(), offsets);
                states.put(g.groupId(), g.groupState().map(Object::toString).orElse("unknown"));
            }
        }
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        committed.values().forEach(m -> m.keySet().forEach(tp -> wanted.put(tp, OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = wanted.isEmpty() ? Map.of()
                : admin.listOffsets(wanted).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        List<GroupLag> out = new ArrayList<>();
        for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> g : new TreeMap<>(committed).entrySet()) {
            Map<String, long[]> byTopic = new TreeMap<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : g.getValue().entrySet()) {
                var end = ends.get(e.getKey());
                if (end == null) {
                    continue;
                }
                long[] acc = byTopic.computeIfAbsent(e.getKey().topic(), t -> new long[2]);
                acc[0] += Math.max(0, end.offset() - e.getValue().offset());
                acc[1]++;
            }
            byTopic.forEach((topic, acc) -> out.add(new GroupLag(g.getKey(), topic, acc[0], (int) acc[1],
                    states.get(g.getKey()))));
        }
        return out;
    }

    /** The client, created on first use; creating it sends nothing to the broker. */
    private Admin admin() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Kafka lag reader is closed");
            }
            if (admin == null) {
                int probe = (int) Math.max(timeoutMs, 1000);
                admin = kafka.admin("gateway-dashboard-lag", Map.of(
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, probe,
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, probe));
            }
            return admin;
        }
    }

    /** Closes the client outside the lock; a read still waiting on it then fails at once. */
    @Override
    public void close() {
        Admin a;
        synchronized (lock) {
            closed = true;
            a = admin;
            admin = null;
        }
        if (a != null) {
            a.close(java.time.Duration.ofSeconds(2));
        }
    }
}
