package run.codetether.gateway.api.cognition;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.fixtures.kafka.SharedKafkaBroker;

/** Every cognition endpoint through HTTP, Kafka and a stand-in swarm-service on the real broker. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CognitionResourceTest {
    private static FakeSwarmService swarm;

    @TestHTTPResource("/v1/cognition/stream")
    URI streamUri;

    /** alice's key of the test profile: the cognition API takes the same credentials as A2A. */
    private static final String KEY = "test-key-alice-123";

    @BeforeAll
    static void startSwarmService() {
        swarm = new FakeSwarmService(SharedKafkaBroker.bootstrapServers());
    }

    @AfterAll
    static void stopSwarmService() {
        swarm.close();
    }

    private static io.restassured.specification.RequestSpecification given() {
        return RestAssured.given().header("X-API-Key", KEY);
    }

    @Test
    @Order(0)
    void withoutCredentialsEveryCognitionEndpointIsRefused() {
        for (String path : List.of("/v1/cognition/status", "/v1/cognition/stream", "/v1/swarm/lineage",
                "/v1/swarm/personas")) {
            RestAssured.given().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", "Bearer").body("error.code", equalTo("UNAUTHENTICATED"));
        }
        RestAssured.given().contentType(ContentType.JSON).body("{}")
                .post("/v1/cognition/start").then().statusCode(401);
        RestAssured.given().header("X-API-Key", "wrong-key-000").get("/v1/cognition/status").then().statusCode(401);
    }

    @Test
    @Order(1)
    void beforeAnySnapshotLatestIs404AndStatusAndLineageAreEmpty() {
        given().get("/v1/cognition/snapshots/latest").then().statusCode(404)
                .body("error", equalTo("No snapshots available"));
        given().get("/v1/cognition/status").then().statusCode(200)
                .body("running", equalTo(false)).body("loop_interval_ms", equalTo(2000)).body("persona_count", equalTo(0));
        given().get("/v1/swarm/lineage").then().statusCode(200).body("total_edges", equalTo(0));
    }

    @Test
    @Order(2)
    void startWithoutBodyAnswersTheStatusAndFeedsStatusAndLineage() throws Exception {
        given().post("/v1/cognition/start").then().statusCode(200)
                .body("enabled", equalTo(true)).body("running", equalTo(true))
                .body("started_at", equalTo("2026-01-01T00:00:00Z")).body("persona_count", equalTo(2));
        assertTrue(swarm.rawCommands.get(swarm.rawCommands.size() - 1).contains("\"type\":\"start\""));
        awaitTrue(() -> given().get("/v1/cognition/status").then().extract().path("running").equals(true));
        given().get("/v1/cognition/status").then().statusCode(200).body("active_persona_count", equalTo(2));
        given().get("/v1/swarm/lineage").then().statusCode(200)
                .body("roots", equalTo(List.of("root-thinker"))).body("total_edges", equalTo(1))
                .body("nodes.persona_id", hasItems("kid", "root-thinker"))
                .body("nodes.find { it.persona_id == 'kid' }.parent_id", equalTo("root-thinker"))
                .body("nodes.find { it.persona_id == 'root-thinker' }.status", equalTo("active"));
    }

    @Test
    @Order(3)
    void startWithABodyForwardsItInSnakeCase() {
        given().contentType(ContentType.JSON).body("""
                {"loop_interval_ms": 500, "seed_persona": {"persona_id": "seed", "name": "Seed", "role": "lead",
                 "charter": "watch"}}""").post("/v1/cognition/start").then().statusCode(200);
        String raw = swarm.rawCommands.get(swarm.rawCommands.size() - 1);
        assertTrue(raw.contains("\"loop_interval_ms\":500") && raw.contains("\"persona_id\":\"seed\""), raw);
    }

    @Test
    @Order(4)
    void stopAnswersTheStatus() {
        given().contentType(ContentType.JSON).body("{\"reason\":\"maintenance\"}").post("/v1/cognition/stop")
                .then().statusCode(200).body("running", equalTo(false));
        assertTrue(swarm.rawCommands.get(swarm.rawCommands.size() - 1).contains("\"reason\":\"maintenance\""));
    }

    @Test
    @Order(5)
    void createPersonaAnswersTheRuntimeStateInSnakeCase() {
        given().contentType(ContentType.JSON).body("""
                {"persona_id":"p-1","name":"Planner","role":"planner","charter":"plan","policy":
                 {"max_spawn_depth":2,"max_branching_factor":2,"token_credits_per_minute":1,"cpu_credits_per_minute":1,
                  "idle_ttl_secs":60,"share_memory":true}}""")
                .post("/v1/swarm/personas").then().statusCode(200)
                .body("identity.id", equalTo("p-1")).body("identity.name", equalTo("Planner"))
                .body("identity.depth", equalTo(0)).body("identity.created_at", equalTo("2026-01-01T00:00:00Z"))
                .body("policy.max_spawn_depth", equalTo(4)).body("status", equalTo("active"))
                .body("thought_count", equalTo(0)).body("last_tick_at", nullValue());
        String raw = swarm.rawCommands.get(swarm.rawCommands.size() - 1);
        assertTrue(raw.contains("\"share_memory\":true") && raw.contains("\"max_branching_factor\":2"), raw);
    }

    @Test
    @Order(6)
    void badPersonaBodiesAre400WithTheReason() {
        given().contentType(ContentType.JSON).body("{\"role\":\"r\",\"charter\":\"c\"}").post("/v1/swarm/personas")
                .then().statusCode(400).body("error", containsString("name is required")).body("status", equalTo(400));
        given().contentType(ContentType.JSON).body("{not json").post("/v1/swarm/personas")
                .then().statusCode(400).body("error", containsString("invalid CreatePersonaRequest"));
        given().post("/v1/swarm/personas").then().statusCode(400).body("error", containsString("body is required"));
        given().post("/v1/swarm/personas/root-thinker/spawn").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"cascade\":\"maybe\"}").post("/v1/swarm/personas/x/reap")
                .then().statusCode(400).body("error", containsString("invalid ReapPersonaRequest"));
        given().contentType(ContentType.JSON).body("{\"loop_interval_ms\":-5}").post("/v1/cognition/start")
                .then().statusCode(400).body("error", containsString("loop_interval_ms"));
    }

    @Test
    @Order(7)
    void spawnAnswersTheChildAndNamesTheLimitItHits() {
        String body = "{\"persona_id\":\"c-1\",\"name\":\"Child\",\"role\":\"worker\",\"charter\":\"help\"}";
        given().contentType(ContentType.JSON).body(body).post("/v1/swarm/personas/root-thinker/spawn").then()
                .statusCode(200).body("identity.parent_id", equalTo("root-thinker")).body("identity.depth", equalTo(1));
        assertTrue(swarm.rawCommands.get(swarm.rawCommands.size() - 1).contains("\"parent_id\":\"root-thinker\""));
        given().contentType(ContentType.JSON).body(body).post("/v1/swarm/personas/deep/spawn").then()
                .statusCode(422).body("error", containsString("max_spawn_depth"));
        given().contentType(ContentType.JSON).body(body).post("/v1/swarm/personas/wide/spawn").then()
                .statusCode(422).body("error", containsString("max_branching_factor"));
        given().contentType(ContentType.JSON).body(body).post("/v1/swarm/personas/ghost/spawn").then()
                .statusCode(404).body("error", containsString("ghost"));
    }

    @Test
    @Order(8)
    void reapListsEveryReapedIdAndUnknownIs404() {
        given().post("/v1/swarm/personas/kid/reap").then().statusCode(200)
                .body("reaped_ids", equalTo(List.of("kid"))).body("count", equalTo(1));
        given().contentType(ContentType.JSON).body("{\"cascade\":true,\"reason\":\"done\"}").post("/v1/swarm/personas/kid/reap")
                .then().statusCode(200).body("reaped_ids", equalTo(List.of("kid", "kid-child"))).body("count", equalTo(2));
        given().post("/v1/swarm/personas/ghost/reap").then().statusCode(404);
    }

    @Test
    @Order(9)
    void noAnswerFromSwarmServiceIs504() {
        given().post("/v1/swarm/personas/silent/reap").then().statusCode(504)
                .body("error", containsString("no swarm-service answered"));
    }

    @Test
    @Order(10)
    void latestSnapshotIsTheNewestPublished() throws Exception {
        swarm.snapshot("snap-1");
        swarm.snapshot("snap-2");
        awaitTrue(() -> given().get("/v1/cognition/snapshots/latest").statusCode() == 200
                && "snap-2".equals(given().get("/v1/cognition/snapshots/latest").then().extract().path("id")));
        given().get("/v1/cognition/snapshots/latest").then().statusCode(200)
                .body("persona_scope", equalTo(List.of("root-thinker"))).body("hot_event_count", equalTo(3))
                .body("metadata.source", equalTo("fallback"));
    }

    @Test
    @Order(11)
    void theStreamSendsCognitionEventsLiveAndResumesAfterLastEventId() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        try (var live = new SseClient(http, streamUri, null)) {
            live.awaitLine(": connected"::equals);
            long first = swarm.thought("t-" + UUID.randomUUID());
            String secondId = "t-" + UUID.randomUUID();
            swarm.thought(secondId);
            live.awaitLine(("id:" + first)::equals);
            live.awaitLine(l -> l.startsWith("data:") && l.contains(secondId));
            assertTrue(live.lines.contains("event:cognition"), live.lines.toString());
            String data = live.lines.stream().filter(l -> l.startsWith("data:") && l.contains(secondId)).findFirst().orElseThrow();
            assertTrue(data.contains("\"event_type\":\"thought_generated\"") && data.contains("\"persona_id\":\"root-thinker\""), data);
            live.awaitLine(": keep-alive"::equals);

            try (var resumed = new SseClient(http, streamUri, Long.toString(first))) {
                resumed.awaitLine(l -> l.startsWith("data:") && l.contains(secondId));
                assertTrue(resumed.lines.stream().noneMatch(l -> l.equals("id:" + first)), "nothing before the resume point");
            }
        }
    }

    @Test
    @Order(12)
    void anUnknownLastEventIdGetsALagEvent() throws Exception {
        try (var client = new SseClient(HttpClient.newHttpClient(), streamUri, "not-a-number")) {
            client.awaitLine("event:lag"::equals);
            client.awaitLine("data:skipped 1"::equals);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("condition not met in 20 s");
    }

    /** Reads an SSE response line by line on a background thread. */
    static final class SseClient implements AutoCloseable {
        final List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        SseClient(HttpClient http, URI uri, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                    .header("X-API-Key", KEY);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            Thread.ofVirtual().start(() -> {
                try {
                    Iterator<String> it = response.get(20, TimeUnit.SECONDS).body().iterator();
                    while (it.hasNext()) {
                        lines.add(it.next().replace(": ", ":").replaceFirst("^:", ": ").replace("id: ", "id:"));
                    }
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
        }

        void awaitLine(java.util.function.Predicate<String> match) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    if (lines.stream().anyMatch(match)) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no matching SSE line in 20 s; got " + lines);
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
        }
    }
}
