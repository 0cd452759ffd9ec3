package run.codetether.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;

@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class DashboardTest {

    @Test
    void dashboardPageAndScriptAreServed() {
        given().get("/dashboard/").then().statusCode(200)
                .body(containsString("CodeTether operator dashboard"))
                .body(containsString("app.js"));
        given().get("/dashboard/app.js").then().statusCode(200)
                .body(containsString("SendStreamingMessage"))
                .body(containsString("/v1/cognition/stream"));
    }
}
