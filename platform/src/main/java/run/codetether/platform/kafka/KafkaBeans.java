package run.codetether.platform.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/**
 * The CDI wiring every Kafka service shares (gateway, agent, swarm): the service's raw Kafka clients, built from
 * every {@code kafka.*} key of its configuration (Quarkus collects them, environment names included, into the
 * {@code default-kafka-broker} map), so SASL/TLS set once reaches every client built through them, and the
 * platform's own {@code codetether.kafka.*} ({@link KafkaLoopConfig}); the
 * {@link LoopHealth} its {@link PollLoop}s report to; the {@code kafka-loops} readiness check over it; and the
 * broker's readiness check ({@link KafkaBrokerReadiness}, bounded, in place of Quarkus' own).
 *
 * <p>A bean only in a service that indexes this library ({@code quarkus.index-dependency.platform.*} in its
 * {@code application.properties}): the library has no {@code beans.xml}, so tools-service and router-service (which
 * use it without Kafka) and the CLI (no CDI) never see it. Only standard CDI, MicroProfile Health and SmallRye
 * annotations, all optional dependencies: the library stays free of Quarkus.
 */
@ApplicationScoped
public class KafkaBeans {

    @Produces
    @Singleton
    KafkaClients clients(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, KafkaLoopConfig own) {
        return new KafkaClients(KafkaSettings.fromConfig(kafkaConfig), own.rareFetchWait(),
                own.commitInterval(), own.outageBudget());
    }

    /** Every {@code PollLoop} of the service reports here. */
    @Produces
    @Singleton
    LoopHealth loops(KafkaLoopConfig own) {
        return new LoopHealth(own.outageBudget());
    }

    /** Readiness DOWN while one of the service's poll loops died. */
    @Produces
    @Readiness
    @Singleton
    HealthCheck kafkaLoops(LoopHealth loops) {
        return new LoopsReadiness(loops);
    }

    /** Readiness DOWN while the broker does not tell its nodes within a few seconds. */
    @Produces
    @Readiness
    @Singleton
    KafkaBrokerReadiness kafkaBroker(KafkaClients clients) {
        return new KafkaBrokerReadiness(clients, "readiness-probe");
    }

    /** At shutdown: a probe in flight to a hung broker must not hold the exit (issue 19). */
    void closeKafkaBroker(@Disposes @Readiness KafkaBrokerReadiness probe) {
        probe.close();
    }
}
