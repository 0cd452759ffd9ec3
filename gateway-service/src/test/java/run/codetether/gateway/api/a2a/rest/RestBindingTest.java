package run.codetether.gateway.api.a2a.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/** The A2A 1.0 HTTP+JSON binding over the same engine. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class RestBindingTest {
    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
    }

    static RequestSpecification alice() {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + A2AHttp.ALICE).header("A2A-Version", "1.0")
                .contentType("application/json");
    }

    static String send(String text, String config) {
        return "{\"message\":" + A2AHttp.userMessage(text, null) + (config == null ? "" : ",\"configuration\":" + config)
                + "}";
    }

    @io.quarkus.test.common.http.TestHTTPResource("/message:send")
    java.net.URI sendUri;

    @Test
    void rawSend() {
        A2AHttp.Reply r = A2AHttp.post(sendUri, send("echo raw", null), A2AHttp.ALICE, "1.0");
        assertEquals(200, r.status(), sendUri + " " + r.body());
    }

    @Test
    void sendGetListCancel() {
        String id = alice().body(send("echo rest", null)).post("/message:send").then().statusCode(200)
                .body("task.status.state", equalTo("TASK_STATE_COMPLETED"))
                .body("task.artifacts[0].parts[0].text", equalTo("echo: echo rest"))
                .extract().path("task.id");
        alice().get("/tasks/" + id + "?historyLength=0").then().statusCode(200).body("id", equalTo(id));
        String ctx = alice().get("/tasks/" + id).then().extract().path("contextId");
        alice().get("/tasks?contextId=" + ctx + "&status=completed&includeArtifacts=true").then().statusCode(200)
                .body("tasks", hasSize(1)).body("nextPageToken", equalTo(""));
        alice().post("/tasks/" + id + ":cancel").then().statusCode(409)
                .body("error.status", equalTo("FAILED_PRECONDITION"))
                .body("error.details[0].reason", equalTo("TASK_NOT_CANCELABLE"));
        String hanging = alice().body(send("hang", "{\"returnImmediately\":true}")).post("/message:send")
                .then().statusCode(200).extract().path("task.id");
        alice().post("/tasks/" + hanging + ":cancel").then().statusCode(200)
                .body("status.state", equalTo("TASK_STATE_CANCELED"));
    }

    @Test
    void errorsUseTheSpecStatusAndAip193Body() {
        alice().get("/tasks/" + UUID.randomUUID()).then().statusCode(404).body("error.code", equalTo(404))
                .body("error.details[0].reason", equalTo("TASK_NOT_FOUND"))
                .body("error.details[0].domain", equalTo("a2a-protocol.org"));
        alice().body("{\"message\":{}}").post("/message:send").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT"));
        alice().body("{nope").post("/message:send").then().statusCode(400);
        given().get("/tasks").then().statusCode(401).body("error.status", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer " + A2AHttp.ALICE).header("A2A-Version", "0.3").get("/tasks").then()
                .statusCode(400).body("error.details[0].reason", equalTo("VERSION_NOT_SUPPORTED"));
        alice().body(send("x", "{\"acceptedOutputModes\":[\"audio/wav\"]}")).post("/message:send").then()
                .statusCode(415);
        alice().get("/extendedAgentCard").then().statusCode(200).body("name", equalTo("CodeTether"));
    }

    @Test
    void streamIsSseOfStreamResponses() {
        String body = alice().body(send("chunks 2", null)).post("/message:stream").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();
        String[] events = body.lines().filter(l -> l.startsWith("data:")).toArray(String[]::new);
        assertEquals(5, events.length, body);
        assertEquals(true, events[0].contains("\"task\""));
        assertEquals(true, events[4].contains("TASK_STATE_COMPLETED"));
        assertEquals(false, body.contains("jsonrpc"), "REST streams carry bare StreamResponse objects");
    }

    @Test
    void pushConfigsOverRest() {
        String id = alice().body(send("echo p", null)).post("/message:send").then().extract().path("task.id");
        String cfg = alice().body("{\"url\":\"http://127.0.0.1:9/hook\"}").post("/tasks/" + id
                + "/pushNotificationConfigs").then().statusCode(200).extract().jsonPath().getString("id");
        alice().get("/tasks/" + id + "/pushNotificationConfigs").then().statusCode(200).body("configs", hasSize(1));
        alice().get("/tasks/" + id + "/pushNotificationConfigs/" + cfg).then().statusCode(200)
                .body("url", equalTo("http://127.0.0.1:9/hook"));
        alice().delete("/tasks/" + id + "/pushNotificationConfigs/" + cfg).then().statusCode(200);
        alice().get("/tasks/" + id + "/pushNotificationConfigs/" + cfg).then().statusCode(404);
    }

    @Test
    void tenantPathPrefixesScopeEveryOperation() {
        String id = alice().body(send("echo tenant", null)).post("/acme/message:send").then().statusCode(200)
                .body("task.status.state", equalTo("TASK_STATE_COMPLETED")).extract().path("task.id");
        alice().get("/acme/tasks/" + id).then().statusCode(200).body("id", equalTo(id));
        alice().get("/other-tenant/tasks/" + id).then().statusCode(404)
                .body("error.details[0].reason", equalTo("TASK_NOT_FOUND"));
        alice().get("/acme/tasks?status=completed").then().statusCode(200)
                .body("tasks.id", org.hamcrest.Matchers.hasItem(id));
        alice().get("/other-tenant/tasks").then().statusCode(200)
                .body("tasks.id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
        alice().post("/acme/tasks/" + id + ":cancel").then().statusCode(409);
        alice().post("/other-tenant/tasks/" + id + ":cancel").then().statusCode(404);
        String cfg = alice().body("{\"url\":\"http://127.0.0.1:9/hook\"}").post("/acme/tasks/" + id
                + "/pushNotificationConfigs").then().statusCode(200).extract().jsonPath().getString("id");
        alice().get("/acme/tasks/" + id + "/pushNotificationConfigs/" + cfg).then().statusCode(200);
        alice().get("/other-tenant/tasks/" + id + "/pushNotificationConfigs").then().statusCode(404);
        alice().delete("/acme/tasks/" + id + "/pushNotificationConfigs/" + cfg).then().statusCode(200);
        alice().get("/acme/extendedAgentCard").then().statusCode(200).body("name", equalTo("CodeTether"));
        alice().body("{\"tenant\":\"acme\",\"message\":" + A2AHttp.userMessage("echo t", null) + "}")
                .post("/other-tenant/message:send").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT"));
        String streamed = alice().body(send("chunks 1", null)).post("/acme/message:stream").then().statusCode(200)
                .extract().asString();
        assertEquals(true, streamed.contains("TASK_STATE_COMPLETED"), streamed);
    }
}
