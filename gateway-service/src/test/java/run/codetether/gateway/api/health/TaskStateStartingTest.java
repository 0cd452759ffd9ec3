package run.codetether.gateway.api.health;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.infra.store.MvTaskStore;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Bindings;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.Params;

/**
 * The task state starts on a thread of its own: while it cannot catch up, the gRPC and HTTP servers answer anyway,
 * readiness is DOWN (503) and says why, and every binding refuses A2A calls with a retryable UNAVAILABLE instead of
 * answering from an empty view; once the start goes through (tried again by itself), readiness turns UP and the
 * same calls are served. The start is held here by the store file being open elsewhere (its lock), as a second
 * gateway on the same store dir would hold it; production does not wait for the task state ({@code start-wait=0s}).
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
@TestProfile(TaskStateStartingTest.HeldStore.class)
class TaskStateStartingTest {

    public static final class HeldStore implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StoreHolder.class));
        }
    }

    /** Opens the gateway's store file before the gateway starts, so that its start fails until the test lets go. */
    public static final class StoreHolder implements QuarkusTestResourceLifecycleManager {
        static volatile MvTaskStore held;

        @Override
        public Map<String, String> start() {
            Path dir = Path.of("target", "held-task-store-" + System.nanoTime());
            held = MvTaskStore.open(dir, 1);
            return Map.of("codetether.gateway.store.dir", dir.toString(),
                    "codetether.gateway.store.start-wait", "0s");
        }

        @Override
        public void stop() {
            release();
        }

        static synchronized void release() {
            if (held != null) {
                held.close();
                held = null;
            }
        }
    }

    private static JsonPath readiness() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }

    @Test
    void serversAnswerWhileTheTaskStateStartsThenServeOnceItCaughtUp() {
        // DOWN with the start's reason: its try failed on the held store and is tried again
        JsonPath down = Await.until(TaskStateStartingTest::readiness,
                j -> String.valueOf(j.getString("checks.find { it.name == 'task-events' }.data.taskState"))
                        .contains("cannot open the gateway task store"), Duration.ofSeconds(60),
                "readiness naming the failed start");
        assertEquals(503, given().get("/q/health/ready").then().extract().statusCode());
        assertEquals("DOWN", down.getString("status"));
        assertEquals("DOWN", down.getString("checks.find { it.name == 'task-events' }.status"));
        assertTrue(down.getString("checks.find { it.name == 'task-events' }.data.taskState").startsWith("try "),
                down.prettify());
        // the gRPC server listens meanwhile (before, the task state ran inside its start and held it)
        assertEquals("UP", down.getString("checks.find { it.name == 'grpc-server' }.status"), down.prettify());

        for (Binding b : Bindings.all()) {
            Failure f = b.call(Operation.GET, Params.id("some-task")).fails("UNAVAILABLE");
            assertTrue(f.message().contains("starting") && f.message().contains("cannot open the gateway task store"),
                    b.name() + ": " + f.message());
        }

        StoreHolder.release();
        Await.until(() -> given().get("/q/health/ready").then().extract().statusCode(), c -> c == 200,
                Duration.ofSeconds(90), "readiness UP once the store is free");
        JsonPath up = readiness();
        assertEquals("UP", up.getString("checks.find { it.name == 'task-events' }.status"), up.prettify());
        for (Binding b : Bindings.all()) {
            b.call(Operation.GET, Params.id("no-such-task")).fails("TASK_NOT_FOUND");
        }
    }
}
