package run.codetether.gateway.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.fixtures.quarkus.HealthAndMetricsContract;

/** The gateway keeps the probes and metrics every service keeps (the shared contract in test-fixtures). */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class HealthAndMetricsTest extends HealthAndMetricsContract {}
