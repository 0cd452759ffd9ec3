package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.loop.TaskDispatcher;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.EmbeddedKafkaBroker;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.LoopHealth;

/** Issue 19: crash takeover and outage tolerance come from typed config and reach the Kafka clients. */
class KafkaTuningTest {

    @Test
    void theDefaultSessionTimeoutIsAcceptedByTheBrokerAndReachesTheTaskConsumer() throws Exception {
        String topic = "tuning-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 1, false)));
        // the loop is never reached: no task is produced to this topic
        KafkaTaskIntake intake = new KafkaTaskIntake(SharedKafkaBroker.bootstrapServers(), topic, "g-" + topic, "w1",
                new TaskDispatcher(null, 1), "earliest").start();
        try {
            Properties c = intake.consumerProperties();
            assertEquals("3000", c.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
            assertEquals("500", c.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
            // the test broker allows it (group.min.session.timeout.ms=1000, as production brokers must)
            assertTrue(intake.awaitAssignment(Duration.ofSeconds(30)), "joined the group with a 3 s session timeout");
            assertEquals(Duration.ofSeconds(3), intake.sessionTimeout());
        } finally {
            intake.close();
        }
    }

    @Test
    void aBrokerThatRefusesTheSessionTimeoutIsJoinedWithTheNextLongerOne() throws Exception {
        // Kafka's default broker minimum: what a production cluster has unless it was lowered
        try (EmbeddedKafkaBroker strict = EmbeddedKafkaBroker.temporary()
                .withProperty("group.min.session.timeout.ms", "6000").start()) {
            String topic = "strict-" + UUID.randomUUID();
            strict.createTopics(List.of(new Topics.Spec(topic, 1, false)));
            LoopHealth health = new LoopHealth();
            KafkaTaskIntake intake = new KafkaTaskIntake(KafkaClients.forBootstrap(strict.bootstrapServers()), topic,
                    "g-" + topic, "w3", new TaskDispatcher(null, 1), "earliest", KafkaTuning.DEFAULTS, health).start();
            try {
                assertTrue(intake.awaitAssignment(Duration.ofSeconds(30)),
                        "joined after the broker refused 3 s (InvalidSessionTimeoutException)");
                assertEquals(Duration.ofSeconds(6), intake.sessionTimeout());
                assertEquals("6000", intake.consumerProperties().get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
                // the refused loop is replaced by the one that joined: readiness is not left DOWN
                assertEquals(Map.of("agent-intake-w3", "running"), health.describe());
            } finally {
                intake.close();
            }
        }
    }

    @Test
    void configuredTimingReachesTheConsumerAndProducerProperties() {
        KafkaTuning t = new KafkaTuning(Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofMinutes(7),
                Duration.ofMinutes(6));
        KafkaTaskIntake intake = new KafkaTaskIntake("127.0.0.1:1", "t", "g", "w2", new TaskDispatcher(null, 1),
                "earliest", t);
        Properties c = intake.consumerProperties();
        intake.close();
        assertEquals("8000", c.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals("2000", c.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));

        Properties p = t.applyToProducer(new Properties());
        assertEquals("420000", p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertEquals("360000", p.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        assertEquals(Integer.toString(Integer.MAX_VALUE), p.get(ProducerConfig.RETRIES_CONFIG));
        Properties d = KafkaTuning.DEFAULTS.applyToProducer(new Properties());
        assertEquals("300000", d.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG), "default: 5 min through an outage");
        assertEquals("300000", d.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
        // awaited sends (session saves, final events) follow each other in a run: a linger would delay every one
        assertEquals("0", d.get(ProducerConfig.LINGER_MS_CONFIG), "no linger over the platform's 1 ms");
    }

    @Test
    void aHeartbeatNotBelowTheSessionTimeoutIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KafkaTuning(
                Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMinutes(5), Duration.ofMinutes(5)));
        assertTrue(e.getMessage().contains("heartbeat-interval"), e.getMessage());
    }
}
