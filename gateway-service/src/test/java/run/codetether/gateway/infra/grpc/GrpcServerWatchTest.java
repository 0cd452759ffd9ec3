package run.codetether.gateway.infra.grpc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;

/** In a running gateway the watch finds its gRPC server on the port it bound, and readiness says so. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class GrpcServerWatchTest {

    @Test
    void readinessNamesTheGrpcServerListening() {
        run.codetether.gateway.support.Await.until(() -> given().get("/q/health/ready").then().extract()
                .statusCode(), c -> c == 200, java.time.Duration.ofSeconds(30), "ready");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem(GrpcServerWatch.NAME))
                .body("checks.find { it.name == 'grpc-server' }.status", org.hamcrest.Matchers.is("UP"))
                .body("checks.find { it.name == 'grpc-server' }.data.listening", startsWith("127.0.0.1:"));
    }
}
