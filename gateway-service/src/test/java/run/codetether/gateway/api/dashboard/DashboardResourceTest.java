package run.codetether.gateway.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.ScriptedWorker;

/** The dashboard's own API on a closed gateway (API keys of alice and bob), against a real broker. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class DashboardResourceTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/")
    URI root;

    @BeforeAll
    static void worker() {
        ScriptedWorker.shared();
    }

    HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String path, String key) throws Exception {
        HttpResponse<String> r = get(path, key);
        assertEquals(200, r.statusCode(), r.body());
        return A2AHttp.JSON.readTree(r.body());
    }

    String send(String text, String key, String tenant) {
        String params = "{\"message\":" + A2AHttp.userMessage(text, null) + ",\"configuration\":{\"returnImmediately\":true}"
                + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") + "}";
        JsonNode r = A2AHttp.post(root, A2AHttp.rpc(1, "SendMessage", params), key, "1.0").json();
        return r.path("result").path("task").path("id").asText();
    }

    JsonNode summary(String id, String key) throws Exception {
        return Await.until(() -> {
            try {
                HttpResponse<String> r = get("/v1/dashboard/tasks/" + id, key);
                return r.statusCode() == 200 ? A2AHttp.JSON.readTree(r.body()).path("task") : null;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, t -> t != null && "completed".equals(t.path("state").asText()), Duration.ofSeconds(20), "task " + id);
    }

    @Test
    void theConfigIsPublicAndEverythingElseNeedsTheA2ACredentials() throws Exception {
        JsonNode config = json("/v1/dashboard/config", null);
        assertFalse(config.path("auth").path("open").asBoolean());
        assertTrue(config.path("auth").path("api_keys").asBoolean());
        for (String path : List.of("/v1/dashboard/tasks", "/v1/dashboard/health", "/v1/dashboard/me",
                "/v1/dashboard/stream")) {
            HttpResponse<String> r = get(path, null);
            assertEquals(401, r.statusCode(), path);
            assertEquals("UNAUTHENTICATED", A2AHttp.JSON.readTree(r.body()).path("error").path("code").asText(), path);
        }
        assertEquals(401, get("/v1/dashboard/tasks", "not-a-key-at-all").statusCode());
        assertEquals("alice", json("/v1/dashboard/me", A2AHttp.ALICE).path("client_id").asText());
        assertEquals(400, get("/v1/dashboard/tasks?limit=0", A2AHttp.ALICE).statusCode());
    }

    @Test
    void aCallerSeesOnlyItsOwnTasksInTheTenantItNames() throws Exception {
        String mine = send("echo dashboard alice", A2AHttp.ALICE, "acme");
        String theirs = send("echo dashboard bob", A2AHttp.BOB, null);
        JsonNode s = summary(mine, A2AHttp.ALICE);
        assertEquals("echo dashboard alice", s.path("title").asText());
        assertEquals("acme", s.path("tenant").asText());
        summary(theirs, A2AHttp.BOB);

        List<String> ids = new ArrayList<>();
        json("/v1/dashboard/tasks?limit=1000", A2AHttp.ALICE).path("tasks").forEach(t -> ids.add(t.path("id").asText()));
        assertTrue(ids.contains(mine));
        assertFalse(ids.contains(theirs));
        assertEquals(404, get("/v1/dashboard/tasks/" + theirs, A2AHttp.ALICE).statusCode());
        assertEquals(404, get("/v1/dashboard/tasks/" + theirs + "/timeline", A2AHttp.ALICE).statusCode());
        List<String> other = new ArrayList<>();
        json("/v1/dashboard/tasks?tenant=other", A2AHttp.ALICE).path("tasks").forEach(t -> other.add(t.path("id").asText()));
        assertFalse(other.contains(mine));

        // alice's task is in tenant acme: every key bound to acme sees it, a key of another tenant does not
        assertEquals("acme", json("/v1/dashboard/tasks/" + mine, "test-key-acme-ci-3").path("task").path("tenant")
                .asText());
        List<String> acmeCi = new ArrayList<>();
        json("/v1/dashboard/tasks?limit=1000", "test-key-acme-ci-3").path("tasks")
                .forEach(t -> acmeCi.add(t.path("id").asText()));
        assertTrue(acmeCi.contains(mine), "acme-ci lists alice's acme task");
        assertFalse(acmeCi.contains(theirs), "but not bob's task in tenant default");
        assertEquals(404, get("/v1/dashboard/tasks/" + mine, "test-key-globex-bot-2").statusCode());
        assertEquals(200, get("/v1/dashboard/tasks/" + theirs, "test-key-ops-890123").statusCode(),
                "an admin key reads every task");
    }

    @Test
    void theTimelineIsReadBackFromTheLogInA2AShapes() throws Exception {
        String id = send("echo timeline", A2AHttp.ALICE, null);
        summary(id, A2AHttp.ALICE);
        JsonNode t = json("/v1/dashboard/tasks/" + id + "/timeline", A2AHttp.ALICE);
        assertFalse(t.path("truncated").asBoolean());
        List<String> kinds = new ArrayList<>();
        for (JsonNode e : t.path("events")) {
            JsonNode item = e.path("item");
            kinds.add(item.has("statusUpdate") ? item.path("statusUpdate").path("status").path("state").asText()
                    : item.has("artifactUpdate") ? "artifact:" + item.path("artifactUpdate").path("artifact").path("parts")
                            .path(0).path("text").asText()
                    : "message:" + item.path("message").path("role").asText());
            assertFalse(item.toString().contains("codetether.owner"), "private metadata stays private");
        }
        assertEquals("TASK_STATE_SUBMITTED", kinds.get(0));
        assertEquals("message:ROLE_USER", kinds.get(1));
        assertTrue(kinds.contains("artifact:echo: echo timeline"), kinds.toString());
        assertEquals("TASK_STATE_COMPLETED", kinds.get(kinds.size() - 1));
    }

    @Test
    void theStreamSendsASnapshotThenEachChangedTask() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/v1/dashboard/stream"))
                .header("Authorization", "Bearer " + A2AHttp.ALICE).header("Accept", "text/event-stream").build();
        HttpResponse<java.io.InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        BlockingQueue<String[]> events = new ArrayBlockingQueue<>(10_000);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = null;
                StringBuilder data = new StringBuilder();
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("event:")) {
                        name = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && name != null) {
                        events.add(new String[] {name, data.toString()});
                        name = null;
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                // closed by the test
            }
        });
        try {
            String[] first = events.poll(10, TimeUnit.SECONDS);
            assertEquals("snapshot", first[0]);
            String id = send("echo streamed", A2AHttp.ALICE, null);
            String bobs = send("echo not for alice", A2AHttp.BOB, null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String state = null;
            while (System.nanoTime() < deadline && !"completed".equals(state)) {
                String[] e = events.poll(1, TimeUnit.SECONDS);
                if (e == null || !e[0].equals("tasks")) {
                    continue;
                }
                assertFalse(e[1].contains(bobs), "bob's task reached alice's stream");
                for (JsonNode t : A2AHttp.JSON.readTree(e[1]).path("tasks")) {
                    if (t.path("id").asText().equals(id)) {
                        state = t.path("state").asText();
                    }
                }
            }
            assertEquals("completed", state);
        } finally {
            response.body().close();
            reader.interrupt();
        }
    }

    @Test
    void healthShowsTheGatewayAndItsAdmissionFigures() throws Exception {
        JsonNode h = json("/v1/dashboard/health", A2AHttp.ALICE);
        JsonNode gateway = null;
        for (JsonNode s : h.path("services")) {
            if (s.path("name").asText().equals("gateway")) {
                gateway = s;
            }
        }
        assertTrue(gateway != null, h.toString());
        assertEquals("UP", gateway.path("status").asText(), gateway.toString());
        assertTrue(gateway.path("metrics").asBoolean());
        boolean admission = false;
        for (JsonNode f : h.path("figures")) {
            if (f.path("key").asText().equals("admission_rejections")) {
                admission = true;
                assertTrue(f.path("exported").asBoolean(), "the gateway exports its refusals: " + f);
            }
        }
        assertTrue(admission);
        assertTrue(h.path("kafka").path("error").isMissingNode(), h.path("kafka").toString());
    }
}
