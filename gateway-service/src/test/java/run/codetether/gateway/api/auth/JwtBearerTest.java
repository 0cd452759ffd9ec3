package run.codetether.gateway.api.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.lf.a2a.v1.GetTaskRequest;
import com.google.lf.a2a.v1.ListTasksRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.JwtIssuer;
import run.codetether.gateway.support.JwtTestResource;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * Bearer JWTs on every binding (JSON-RPC, HTTP+JSON, gRPC), verified against the test issuer's JWKS served over
 * loopback HTTP, beside the static API keys.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = JwtTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class JwtBearerTest {
    @TestHTTPResource("/a2a")
    URI endpoint;

    JwtIssuer issuer;
    String valid;
    String expired;
    String wrongAudience;
    String forged;

    @BeforeEach
    void setUp() {
        ScriptedWorker.shared();
        issuer = JwtIssuer.trusted();
        valid = issuer.valid("jwt-client-1");
        expired = issuer.token("jwt-client-1", JwtIssuer.AUDIENCE, Instant.now().minusSeconds(3600));
        wrongAudience = issuer.token("jwt-client-1", "some-other-api", Instant.now().plusSeconds(600));
        // same kid as the trusted key, another key: a bad signature
        forged = JwtIssuer.generate(issuer.key().getKeyID()).valid("jwt-client-1");
    }

    JsonNode rpc(String token, String method, String params) {
        return new A2AHttp(endpoint).post(A2AHttp.rpc(1, method, params), token, "1.0").json();
    }

    @Test
    void jsonRpcAcceptsAValidJwtAndTasksBelongToItsSubject() {
        JsonNode sent = rpc(valid, "SendMessage", "{\"message\":" + A2AHttp.userMessage("echo jwt", null) + "}");
        JsonNode task = sent.path("result").path("task");
        assertEquals("TASK_STATE_COMPLETED", task.at("/status/state").asText(), sent.toString());
        String id = task.get("id").asText();
        String again = issuer.valid("jwt-client-1");
        assertEquals(id, rpc(again, "GetTask", "{\"id\":\"" + id + "\"}").at("/result/id").asText());
        // another subject of the same issuer, and an API-key client, do not see it
        assertEquals(-32001, rpc(issuer.valid("jwt-client-2"), "GetTask", "{\"id\":\"" + id + "\"}")
                .at("/error/code").asInt());
        assertEquals(-32001, rpc(A2AHttp.ALICE, "GetTask", "{\"id\":\"" + id + "\"}").at("/error/code").asInt());
    }

    @Test
    void jsonRpcRefusesBadJwtsWithTheReason() {
        String params = "{\"id\":\"any\"}";
        JsonNode e = rpc(expired, "GetTask", params).get("error");
        assertEquals(-31001, e.get("code").asInt());
        assertEquals("The bearer token has expired", e.get("message").asText());
        assertEquals("The bearer token is not meant for this audience",
                rpc(wrongAudience, "GetTask", params).at("/error/message").asText());
        assertEquals("The bearer token's signature is not valid",
                rpc(forged, "GetTask", params).at("/error/message").asText());
        assertTrue(rpc(JwtIssuer.hmac("jwt-client-1"), "GetTask", params).at("/error/message").asText()
                .contains("not signed by a known key"));
        assertEquals(-31001, rpc(JwtIssuer.unsigned("jwt-client-1"), "GetTask", params).at("/error/code").asInt());
    }

    @Test
    void restAcceptsValidAndRefusesBadJwts() {
        given().header("Authorization", "Bearer " + valid).get("/tasks").then().statusCode(200);
        for (String bad : new String[] {expired, wrongAudience, forged}) {
            given().header("Authorization", "Bearer " + bad).get("/tasks").then().statusCode(401)
                    .body("error.status", equalTo("UNAUTHENTICATED"))
                    .header("WWW-Authenticate", equalTo("Bearer realm=\"codetether\""));
        }
        given().header("Authorization", "Bearer " + expired).get("/tasks").then()
                .body("error.message", equalTo("The bearer token has expired"));
    }

    static A2AServiceGrpc.A2AServiceBlockingStub grpc(String token) {
        return A2AGrpc.bearer(token);
    }

    @Test
    void grpcAcceptsValidAndRefusesBadJwts() {
        assertEquals(0, grpc(issuer.valid("jwt-grpc-only")).listTasks(ListTasksRequest.getDefaultInstance())
                .getTasksCount(), "a fresh subject owns no task");
        StatusRuntimeException notFound = assertThrows(StatusRuntimeException.class,
                () -> grpc(valid).getTask(GetTaskRequest.newBuilder().setId("missing").build()));
        assertEquals(Status.Code.NOT_FOUND, notFound.getStatus().getCode(), "authenticated, then not found");
        for (String bad : new String[] {expired, wrongAudience, forged}) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> grpc(bad).listTasks(ListTasksRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> grpc(wrongAudience).listTasks(ListTasksRequest.getDefaultInstance()));
        assertEquals("The bearer token is not meant for this audience", e.getStatus().getDescription());
    }

    @Test
    void theCardAdvertisesTheJwtScheme() {
        given().get("/.well-known/agent-card.json").then().statusCode(200)
                .body("securitySchemes.jwt.httpAuthSecurityScheme.bearerFormat", equalTo("JWT"));
    }
}
