package run.codetether.gateway.api.a2a.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.A2AHttp;
import run.codetether.gateway.support.ScriptedWorker;

/**
 * What only the HTTP+JSON binding has: bodies that are not JSON, the version header, a tenant named twice. Every
 * operation itself runs in the conformance suite ({@code conformance.*ConformanceTest}) on every binding.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class RestBindingTest {

    static RequestSpecification alice() {
        return given().urlEncodingEnabled(false).header("Authorization", "Bearer " + A2AHttp.ALICE)
                .header("A2A-Version", "1.0").contentType("application/json");
    }

    @Test
    void malformedBodiesAndOtherVersionsAreRefusedWithAip193Errors() {
        alice().body("{nope").post("/message:send").then().statusCode(400)
                .body("error.details[0].reason", equalTo("PARSE_ERROR"));
        alice().body("[1]").post("/message:send").then().statusCode(400)
                .body("error.details[0].reason", equalTo("INVALID_PARAMS"));
        alice().body("{\"message\":{}}").post("/message:send").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT"));
        given().header("Authorization", "Bearer " + A2AHttp.ALICE).header("A2A-Version", "0.3").get("/tasks").then()
                .statusCode(400).body("error.details[0].reason", equalTo("VERSION_NOT_SUPPORTED"));
    }

    @Test
    void queryFiltersTakeTheShortStateNames() {
        ScriptedWorker.shared();
        String id = alice().body("{\"message\":" + A2AHttp.userMessage("echo q", null) + "}").post("/message:send")
                .then().statusCode(200).extract().path("task.id");
        String ctx = alice().get("/tasks/" + id).then().extract().path("contextId");
        alice().get("/tasks?contextId=" + ctx + "&status=completed&includeArtifacts=true").then().statusCode(200)
                .body("tasks[0].id", equalTo(id)).body("tasks[0].artifacts[0].parts[0].text", equalTo("echo: echo q"));
        alice().get("/tasks?contextId=" + ctx + "&status=input-required").then().statusCode(200)
                .body("tasks.size()", equalTo(0));
    }

    @Test
    void aTenantInTheBodyMustMatchThePathsTenant() {
        ScriptedWorker.shared();
        alice().body("{\"tenant\":\"acme\",\"message\":" + A2AHttp.userMessage("echo t", null) + "}")
                .post("/other-tenant/message:send").then().statusCode(400)
                .body("error.status", equalTo("INVALID_ARGUMENT"))
                .body("error.message", equalTo("tenant acme in the request does not match the path's other-tenant"));
        alice().body("{\"tenant\":\"acme\",\"message\":" + A2AHttp.userMessage("echo t", null) + "}")
                .post("/acme/message:send").then().statusCode(200)
                .body("task.status.state", equalTo("TASK_STATE_COMPLETED"));
        alice().get("/acme/extendedAgentCard").then().statusCode(200).body("name", equalTo("CodeTether"));
    }
}
