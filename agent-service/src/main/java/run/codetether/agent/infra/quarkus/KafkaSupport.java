package run.codetether.agent.infra.quarkus;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import run.codetether.platform.kafka.KafkaClients;
import run.codetether.platform.kafka.KafkaSettings;
import run.codetether.platform.kafka.LoopHealth;
import run.codetether.platform.kafka.LoopsReadiness;

/**
 * The service's raw Kafka clients, built by the platform from every {@code kafka.*} key of the configuration
 * (Quarkus collects them, environment names included, into the {@code default-kafka-broker} map), so SASL/TLS set
 * once reaches the task intake, the cancel listener, the event and session producers, the swarm launcher and the
 * worker calls alike; and the service's platform poll loops, for readiness ({@link LoopsReadiness}).
 */
@ApplicationScoped
public class KafkaSupport {

    @Produces
    @Singleton
    KafkaClients clients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new KafkaClients(KafkaSettings.fromConfig(kafkaConfig));
    }

    /** Every {@code PollLoop} of the agent reports here (task intake, cancel listener, worker-mode readers). */
    @Produces
    @Singleton
    LoopHealth loops() {
        return new LoopHealth();
    }

    /** Readiness DOWN while a poll loop died (task intake, cancel listener, worker registry and results readers). */
    @Produces
    @Readiness
    @Singleton
    HealthCheck kafkaLoops(LoopHealth loops) {
        return new LoopsReadiness(loops);
    }
}
