package run.codetether.gateway.infra.kafka;

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
 * The gateway's raw Kafka clients, built by the platform from every {@code kafka.*} key of the configuration
 * (Quarkus collects them, environment names included, into the {@code default-kafka-broker} map), so SASL/TLS set
 * once reaches every client built through it (task log and reader, push configs and dispatcher, worker bus,
 * dashboard), and the poll loops of those clients for readiness ({@link LoopsReadiness}).
 */
@ApplicationScoped
public class KafkaSupport {

    @Produces
    @Singleton
    KafkaClients clients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new KafkaClients(KafkaSettings.fromConfig(kafkaConfig));
    }

    @Produces
    @Singleton
    LoopHealth loops() {
        return new LoopHealth();
    }

    /** Readiness DOWN while a poll loop died (task events, push configs and delivery, worker registry and calls). */
    @Produces
    @Readiness
    @Singleton
    HealthCheck kafkaLoops(LoopHealth loops) {
        return new LoopsReadiness(loops);
    }
}
