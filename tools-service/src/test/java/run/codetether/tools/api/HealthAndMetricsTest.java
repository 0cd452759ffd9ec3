package run.codetether.tools.api;

import io.quarkus.test.junit.QuarkusTest;
import run.codetether.fixtures.quarkus.HealthAndMetricsContract;

@QuarkusTest
class HealthAndMetricsTest extends HealthAndMetricsContract {}
