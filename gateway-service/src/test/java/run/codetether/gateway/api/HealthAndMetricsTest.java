package run.codetether.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.fixtures.quarkus.HealthAndMetricsContract;
import run.codetether.platform.kafka.KafkaBrokerReadiness;
import run.codetether.platform.kafka.LoopsReadiness;

/**
 * The gateway keeps the probes and metrics every service keeps (the shared contract in test-fixtures); its broker
 * check is the platform's bounded one (Quarkus' own is off: it waited 60 s for a hung broker, issue 19).
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class HealthAndMetricsTest extends HealthAndMetricsContract {
    @Override
    protected List<String> ownReadinessChecks() {
        return List.of(KafkaBrokerReadiness.NAME, LoopsReadiness.NAME);
    }
}
