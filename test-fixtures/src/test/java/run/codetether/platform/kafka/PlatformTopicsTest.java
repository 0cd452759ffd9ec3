package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/**
 * Topic creation for every topic of {@link Topics} (the shared broker was made with it, see
 * {@code EmbeddedKafkaBrokerTest}); here the same layout under fresh names, so nothing exists before.
 */
class PlatformTopicsTest {

    @Test
    void createsEveryContractTopicOnceWithItsLayoutAlsoFromReplicasAtOnce() throws Exception {
        String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<Topics.Spec> specs = Topics.all(3).stream().map(s -> new Topics.Spec(prefix + s.name(), s.partitions(),
                s.compacted(), s.maxMessageBytes())).toList();
        assertTrue(specs.stream().anyMatch(s -> s.name().equals(prefix + Topics.GATEWAY_PUSH_CONFIGS) && s.compacted()),
                "the gateway's push-configs topic is one of them, compacted");
        KafkaClients clients = new KafkaClients(KafkaSettings.of(SharedKafkaBroker.bootstrapServers()));
        {
            var first = CompletableFuture.supplyAsync(() -> PlatformTopics.ensure(clients, specs, Duration.ofSeconds(30)));
            var second = CompletableFuture.supplyAsync(() -> PlatformTopics.ensure(clients, specs, Duration.ofSeconds(30)));
            int created = first.get(60, TimeUnit.SECONDS).size() + second.get(60, TimeUnit.SECONDS).size();
            assertEquals(specs.size(), created, "two replicas at once create each topic exactly once");
            try (Admin admin = clients.admin("check")) {
                var described = describe(admin, specs);
                for (Topics.Spec spec : specs) {
                    assertEquals(spec.partitions(), described.get(spec.name()).partitions().size(), spec.name());
                    Config config = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                            spec.name()))).all().get(30, TimeUnit.SECONDS).values().iterator().next();
                    for (Map.Entry<String, String> e : spec.configs().entrySet()) {
                        assertEquals(e.getValue(), config.get(e.getKey()).value(), spec.name() + " " + e.getKey());
                    }
                }
            }
            assertEquals(List.of(), PlatformTopics.ensure(clients, specs, Duration.ofSeconds(30)), "existing are kept");
            assertEquals(List.of(), PlatformTopics.ensureAll(clients, 4, Duration.ofSeconds(30)),
                    "the shared broker already has every contract topic");
        }
    }

    /** A topic just created reaches the broker's metadata moments after the controller acknowledged it. */
    private static Map<String, org.apache.kafka.clients.admin.TopicDescription> describe(Admin admin,
            List<Topics.Spec> specs) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return admin.describeTopics(specs.stream().map(Topics.Spec::name).toList()).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt > 100 || !(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }
}
