package run.codetether.agent.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.agent.config.AgentConfig;
import run.codetether.platform.kafka.KafkaClients;

/** The session load's index wait is typed config ({@code codetether.agent.session-index-wait}), no constant (issue 20). */
class SessionIndexWaitConfigTest {

    private static AgentConfig config(Map<String, String> props) throws java.io.IOException {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withConverter(Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test.properties", 275),
                        new PropertiesConfigSource(SessionIndexWaitConfigTest.class.getResource("/application.properties"), 250))
                .withMapping(AgentConfig.class).withValidateUnknown(false).build();
        return config.getConfigMapping(AgentConfig.class);
    }

    @Test
    void defaultsToThirtySecondsAndTakesAnotherValue() throws java.io.IOException {
        assertEquals(KafkaSessionStore.DEFAULT_INDEX_WAIT, config(Map.of()).sessionIndexWait());
        assertEquals(Duration.ofSeconds(30), KafkaSessionStore.DEFAULT_INDEX_WAIT);
        assertEquals(Duration.ofSeconds(5), config(Map.of("codetether.agent.session-index-wait", "5s")).sessionIndexWait());
    }

    @Test
    void aWaitThatIsNotPositiveIsRefusedWithTheKeyNamed() {
        // refused before any client is made: no broker is needed (and none is reached)
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KafkaSessionStore(
                    KafkaClients.forBootstrap("127.0.0.1:9"), "agent.sessions", 10, bad, KafkaTuning.DEFAULTS));
            assertTrue(e.getMessage().contains("codetether.agent.session-index-wait"), e.getMessage());
        }
    }
}
