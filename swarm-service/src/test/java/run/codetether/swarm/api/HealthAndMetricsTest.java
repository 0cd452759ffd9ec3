package run.codetether.swarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.fixtures.quarkus.HealthAndMetricsContract;

@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class HealthAndMetricsTest extends HealthAndMetricsContract {
    @Override
    protected List<String> ownReadinessChecks() {
        return List.of(run.codetether.platform.kafka.LoopsReadiness.NAME);
    }
}
