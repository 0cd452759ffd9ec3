package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;

/**
 * What the front door does per request besides its answer (issue 18): the router reaches the JSON-RPC endpoints
 * and the public cards without trying the HTTP+JSON binding's regex routes first, and no HTTP server span is built
 * while traces go nowhere.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class FrontDoorRoutesTest {
    private static final Set<String> FRONT = Set.of("/", "/a2a", "/.well-known/agent-card.json",
            "/.well-known/agent.json");

    @Inject
    Router router;

    @Test
    void jsonRpcAndTheCardsComeBeforeEveryRestRegexRoute() {
        List<Route> routes = router.getRoutes(); // in the order the router tries them
        int lastFront = -1;
        int firstRest = Integer.MAX_VALUE;
        int front = 0;
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            Set<HttpMethod> methods = r.methods();
            if (r.getPath() != null && FRONT.contains(r.getPath()) && methods != null
                    && (methods.contains(HttpMethod.POST) || methods.contains(HttpMethod.GET))) {
                lastFront = i;
                front++;
            } else if (r.isRegexPath() && r.getName() != null && r.getName().contains("([^/:]+)")) {
                firstRest = Math.min(firstRest, i); // RestRoutes' id pattern
            }
        }
        assertTrue(front >= 10, () -> "the JSON-RPC and card routes are registered: " + routes);
        assertTrue(firstRest < Integer.MAX_VALUE, () -> "the HTTP+JSON routes are registered: " + routes);
        int last = lastFront;
        int first = firstRest;
        assertTrue(last < first, () -> "every JSON-RPC/card route (last: " + routes.get(last).getName() + " at "
                + last + ") before the first HTTP+JSON regex route (" + routes.get(first).getName() + " at " + first
                + ")");
    }

    @Test
    void noHttpServerSpanWhileNoTraceIsExported() {
        var config = ConfigProvider.getConfig();
        assertFalse(config.getValue("quarkus.otel.exporter.otlp.enabled", Boolean.class));
        assertEquals(Boolean.FALSE, config.getValue("quarkus.otel.instrument.vertx-http", Boolean.class),
                "the HTTP server instrumentation follows the exporter");
    }
}
