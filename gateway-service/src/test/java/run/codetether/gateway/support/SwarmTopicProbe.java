package run.codetether.gateway.support;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import run.codetether.contracts.events.Topics;
import run.codetether.contracts.swarm.SwarmCommand;
import run.codetether.contracts.swarm.SwarmCommandDeserializer;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** Reads swarm.requested from the beginning until a job for the task shows up. */
public final class SwarmTopicProbe {
    private SwarmTopicProbe() {}

    public static SwarmCommand.StartSwarm await(String taskId) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafkaBroker.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "swarm-probe-" + taskId);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, SwarmCommand> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new SwarmCommandDeserializer())) {
            c.subscribe(List.of(Topics.SWARM_REQUESTED));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, SwarmCommand> r : c.poll(Duration.ofMillis(200))) {
                    if (r.value() instanceof SwarmCommand.StartSwarm s && s.taskId().equals(taskId)) {
                        return s;
                    }
                }
            }
        }
        return null;
    }
}
