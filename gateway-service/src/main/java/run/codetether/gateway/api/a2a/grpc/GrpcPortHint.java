package run.codetether.gateway.api.a2a.grpc;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A gRPC call that still reaches the HTTP port (a client or worker configured before gRPC moved to a server of its
 * own, docs/operations.md "GOAWAY") gets gRPC's UNIMPLEMENTED with the port to use, instead of an HTTP 404 that
 * grpc-java reports as an unexplained "HTTP status code 404".
 */
@ApplicationScoped
public class GrpcPortHint {
    private static final String SERVICES = "^/(lf\\.a2a\\.v1\\.A2AService|codetether\\.worker\\.v1\\.WorkerHub)/[^/]+$";

    void routes(@Observes Router router) {
        router.routeWithRegex(SERVICES).order(-100).handler(ctx -> {
            String type = ctx.request().getHeader("content-type");
            if (type == null || !type.startsWith("application/grpc")) {
                ctx.next();
                return;
            }
            // asked per call: the port the server bound, registered once it runs
            int grpcPort = ConfigProvider.getConfig().getValue("quarkus.grpc.server.port", Integer.class);
            String message = "the gateway serves gRPC on its own port (" + grpcPort
                    + " here, quarkus.grpc.server.port), not on the HTTP port";
            // a trailers-only answer: HTTP 200 whose only headers carry the gRPC status
            ctx.response().setStatusCode(200).putHeader("content-type", "application/grpc")
                    .putHeader("grpc-status", "12")
                    .putHeader("grpc-message", URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", "%20"))
                    .end();
        });
    }
}
