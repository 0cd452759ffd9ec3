package run.codetether.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;

/** The page is served from the jar: ES modules and the vendored chart library with its licence, no CDN. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class DashboardTest {

    @Test
    void dashboardPageModulesAndVendoredChartsAreServed() {
        given().get("/dashboard/").then().statusCode(200)
                .body(containsString("CodeTether operator dashboard"))
                .body(containsString("<script type=\"module\" src=\"js/app.js\">"))
                .body(org.hamcrest.Matchers.not(containsString("https://")));
        for (String module : new String[] {"app", "api", "store", "tasklist", "detail", "timeline", "diff", "cognition",
                "workers", "health", "oidc", "util"}) {
            given().get("/dashboard/js/" + module + ".js").then().statusCode(200)
                    .contentType(org.hamcrest.Matchers.anyOf(startsWith("text/javascript"),
                            startsWith("application/javascript")));
        }
        given().get("/dashboard/js/api.js").then().body(containsString("SubscribeToTask"));
        given().get("/dashboard/vendor/uplot/uPlot.esm.js").then().statusCode(200).body(containsString("export"));
        given().get("/dashboard/vendor/uplot/LICENSE").then().statusCode(200).body(containsString("MIT License"));
    }
}
