package run.codetether.gateway.api.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.budget.TenantSpend;
import run.codetether.contracts.budget.TenantSpend.ModelSpend;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;

/**
 * {@code GET /v1/stats} against records two agent replicas publish on the real (in-process) {@code tenants.spend}:
 * the replicas' latest records summed per tenant-day and per model, a replaced and a deleted record, tenant isolation
 * (alice reads stats-acme and stats-initech, bob only {@code default}, ops every tenant: test
 * application.properties), 401 without a key, 400 on a bad range. Through the real processes: e2e
 * {@code SharedBudgetEndToEndTest}.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class StatsResourceTest {
    private static final String OPS = "test-key-ops-890123";
    private static final LocalDate D1 = LocalDate.parse("2026-03-01");
    private static final LocalDate D2 = LocalDate.parse("2026-03-02");
    private static final LocalDate D3 = LocalDate.parse("2026-03-03");
    private static final Instant AT = Instant.parse("2026-03-01T12:00:00Z");

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static TenantSpend spend(String tenant, LocalDate day, String replica, double cost, long tasks,
            long calls, long unpriced, long in, List<ModelSpend> models) {
        return new TenantSpend(tenant, day, replica, cost, calls, unpriced, in, in / 10, in / 2, in / 5, tasks,
                models, AT);
    }

    private void publish(List<TenantSpend> records, List<String> tombstones) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (TenantSpend s : records) {
                producer.send(new ProducerRecord<>(Topics.TENANTS_SPEND, s.key(), ContractJson.write(s)))
                        .get(30, TimeUnit.SECONDS);
            }
            for (String key : tombstones) {
                producer.send(new ProducerRecord<>(Topics.TENANTS_SPEND, key, null)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private A2AHttp.Reply get(String query, String key) {
        return A2AHttp.send("GET", base.resolve("/v1/stats" + query), null, key, null);
    }

    /** Waits until the last record published (globex's) has been read: the records before it have been too. */
    private void awaitRead() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            A2AHttp.Reply r = get("?from=2026-03-01&to=2026-03-03&tenant=stats-globex", OPS);
            if (r.status() == 200 && r.json().path("days").size() == 1) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the published spend did not arrive: " + r.body());
            Thread.sleep(100);
        }
    }

    @Test
    void sumsTheReplicasPerTenantDayAndModelAndShowsEachCallerOnlyItsTenants() throws Exception {
        ModelSpend claudeOnR1 = new ModelSpend("anthropic", "claude-sonnet-4", 2, 2_000, 200, 1_000, 400, 1.25, 2);
        ModelSpend qwen = new ModelSpend("local", "qwen", 1, 1_000, 100, 500, 200, null, 1);
        ModelSpend claudeOnR2 = new ModelSpend("anthropic", "claude-sonnet-4", 1, 500, 50, 250, 100, 0.50, 1);
        publish(List.of(
                spend("stats-acme", D1, "r1", 0.25, 1, 1, 0, 100, List.of()), // replaced by r1's next figure
                spend("stats-acme", D1, "r1", 1.25, 2, 3, 1, 3_000, List.of(claudeOnR1, qwen)),
                spend("stats-acme", D1, "r2", 0.50, 1, 1, 0, 500, List.of(claudeOnR2)),
                spend("stats-acme", D2, "r1", 0, 1, 1, 1, 10, List.of(
                        new ModelSpend("local", "qwen", 1, 10, 1, 5, 2, null, 1))),
                spend("stats-acme", D3, "r1", 7.0, 1, 1, 0, 10, List.of()),
                spend("stats-globex", D1, "r1", 9.99, 4, 4, 0, 40, List.of())),
                List.of(TenantSpend.key("stats-acme", D3, "r1")));
        awaitRead();

        A2AHttp.Reply alice = get("?from=2026-03-01&to=2026-03-03", A2AHttp.ALICE);
        assertEquals(200, alice.status(), alice.body());
        JsonNode body = alice.json();
        assertEquals("[\"acme\",\"default\",\"other\",\"stats-acme\",\"stats-initech\"]",
                body.path("tenants").toString(), "alice's tenant binding");
        JsonNode days = body.path("days");
        assertEquals(2, days.size(), "D3 was deleted, globex is not alice's: " + body);
        JsonNode d1 = days.get(0);
        assertEquals("2026-03-01", d1.path("day").asText());
        assertEquals("stats-acme", d1.path("tenant").asText());
        assertEquals(1.75, d1.path("cost_usd").asDouble(), 1e-9, "r1's latest 1.25 + r2's 0.50: " + d1);
        assertEquals(3, d1.path("tasks").asLong());
        assertEquals(4, d1.path("calls").asLong());
        assertEquals(1, d1.path("unpriced_calls").asLong());
        assertEquals(3_500, d1.path("tokens_in").asLong());
        assertEquals(350, d1.path("tokens_out").asLong());
        assertEquals(1_750, d1.path("cache_read_tokens").asLong());
        assertEquals(700, d1.path("cache_write_tokens").asLong());
        assertEquals(2, d1.path("replicas").asInt());
        JsonNode d2 = days.get(1);
        assertTrue(d2.path("cost_usd").isNull(), "a day of unpriced calls only is unknown, not $0: " + d2);

        JsonNode rows = body.path("rows");
        assertEquals(3, rows.size(), rows.toString());
        JsonNode claude = rows.get(0);
        assertEquals("anthropic", claude.path("provider").asText());
        assertEquals(1.75, claude.path("cost_usd").asDouble(), 1e-9);
        assertEquals(3, claude.path("tasks").asLong());
        assertEquals(3, claude.path("calls").asLong());
        assertEquals(0, claude.path("unpriced_tasks").asLong());
        JsonNode qwenRow = rows.get(1);
        assertEquals("qwen", qwenRow.path("model").asText());
        assertTrue(qwenRow.path("cost_usd").isNull(), qwenRow.toString());
        assertEquals(1, qwenRow.path("unpriced_tasks").asLong());

        A2AHttp.Reply foreign = get("?from=2026-03-01&to=2026-03-03&tenant=stats-globex", A2AHttp.ALICE);
        assertEquals(403, foreign.status(), foreign.body());
        assertEquals("PERMISSION_DENIED", foreign.json().path("error").path("code").asText());
        A2AHttp.Reply bob = get("?from=2026-03-01&to=2026-03-03", A2AHttp.BOB);
        assertEquals(200, bob.status(), bob.body());
        assertEquals("[\"default\"]", bob.json().path("tenants").toString());
        assertEquals(0, bob.json().path("days").size(), "bob reads tenant default only: " + bob.body());
        A2AHttp.Reply ops = get("?from=2026-03-01&to=2026-03-01", OPS);
        assertTrue(ops.json().path("tenants").isNull(), ops.body());
        assertEquals(List.of("stats-acme", "stats-globex"), ops.json().path("days").findValuesAsText("tenant"));
    }

    @Test
    void refusesACallerWithoutAKeyAndABadRangeWithAClearBody() {
        A2AHttp.Reply none = get("?from=2026-03-01&to=2026-03-03", null);
        assertEquals(401, none.status(), none.body());
        assertEquals("UNAUTHENTICATED", none.json().path("error").path("code").asText());

        A2AHttp.Reply notADay = get("?from=2026-13-01", A2AHttp.ALICE);
        assertEquals(400, notADay.status(), notADay.body());
        assertEquals("INVALID_ARGUMENT", notADay.json().path("error").path("code").asText());
        assertEquals("from must be a day as YYYY-MM-DD, not '2026-13-01'",
                notADay.json().path("error").path("message").asText());
        A2AHttp.Reply backwards = get("?from=2026-03-03&to=2026-03-01", A2AHttp.ALICE);
        assertEquals(400, backwards.status(), backwards.body());
        assertEquals("from 2026-03-03 is after to 2026-03-01", backwards.json().path("error").path("message").asText());
        A2AHttp.Reply tooLong = get("?from=2024-01-01&to=2026-03-01", A2AHttp.ALICE);
        assertEquals(400, tooLong.status(), tooLong.body());
        assertTrue(tooLong.json().path("error").path("message").asText().contains("at most 366"), tooLong.body());
    }
}
