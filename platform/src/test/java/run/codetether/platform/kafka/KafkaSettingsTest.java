package run.codetether.platform.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    final KafkaSettings settings = KafkaSettings.fromConfig(Map.of("bootstrap.servers", "127.0.0.1:1",
            "security.protocol", "SASL_SSL", "linger.ms", "5", "tls-configuration-name", "x"));

    @Test
    void producersAreReliableAndCarryTheServicesSettings() {
        Map<String, Object> p = settings.producer("swarm-a", Map.of("max.request.size", "8388608"));
        assertEquals("all", p.get("acks"));
        assertEquals("true", p.get("enable.idempotence"));
        assertEquals("lz4", p.get("compression.type"));
        assertEquals("5", p.get("linger.ms"), "a kafka.* key tunes a default");
        assertEquals("10000", p.get("max.block.ms"));
        assertEquals("30000", p.get("delivery.timeout.ms"));
        assertEquals("SASL_SSL", p.get("security.protocol"), "SASL/TLS reaches every client");
        assertEquals("8388608", p.get("max.request.size"));
        assertEquals("swarm-a", p.get("client.id"));
        assertFalse(p.containsKey("tls-configuration-name"), "Quarkus' own keys are not client settings");
    }

    @Test
    void aLoneRecordDoesNotWaitForCompany() {
        Map<String, Object> p = KafkaSettings.of("127.0.0.1:1").producer("gateway-log", Map.of());
        assertEquals("0", p.get("linger.ms"), "every awaited send on a task's path would pay the linger");
        assertEquals("1", p.get("max.in.flight.requests.per.connection"),
                "records sent while a request is out share the next one (ProducerBatchingTest)");
        assertEquals("all", p.get("acks"));
    }

    @Test
    void weakeningDurabilityIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> KafkaSettings.fromConfig(Map.of("bootstrap.servers", "b", "acks", "1")));
        assertTrue(e.getMessage().contains("kafka.acks=1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KafkaSettings.fromConfig(Map.of("bootstrap.servers", "b", "enable.idempotence", "false")));
        assertThrows(IllegalArgumentException.class, () -> settings.producer("p", Map.of("acks", "0")));
        var missing = assertThrows(IllegalArgumentException.class, () -> KafkaSettings.fromConfig(Map.of()));
        assertTrue(missing.getMessage().contains("CODETETHER_KAFKA_BOOTSTRAP"), missing.getMessage());
    }

    @Test
    void consumersCommitByHandAndJoinAGroupOnlyWhenGivenOne() {
        Map<String, Object> c = settings.consumer("c", Optional.of("g"), Map.of("auto.offset.reset", "latest"));
        assertEquals("false", c.get("enable.auto.commit"));
        assertEquals("latest", c.get("auto.offset.reset"));
        assertEquals("g", c.get("group.id"));
        assertFalse(settings.with("group.id", "app").consumer("c", Optional.empty(), Map.of()).containsKey("group.id"),
                "a group-less reader stays out of any group");
    }
}
