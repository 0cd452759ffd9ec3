package run.codetether.router.api;

import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import run.codetether.fixtures.quarkus.HealthAndMetricsContract;

@QuarkusTest
class HealthAndMetricsTest extends HealthAndMetricsContract {
    @Override
    protected List<String> ownReadinessChecks() {
        return List.of("tool-router");
    }
}
