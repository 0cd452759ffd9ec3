package run.codetether.gateway.support.binding;

import java.net.URI;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import run.codetether.gateway.support.A2AGrpc;
import run.codetether.gateway.support.A2AHttp;

/**
 * The bindings the conformance suite runs every operation against, as alice (JSON-RPC 1.0, JSON-RPC 0.3, HTTP+JSON,
 * gRPC), for {@code @MethodSource}. Reads the running test application's ports (HTTP, and gRPC's own).
 */
public final class Bindings {
    private Bindings() {}

    public static List<Binding> all() {
        int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
        URI root = URI.create("http://127.0.0.1:" + port + "/");
        return List.of(
                new JsonRpcBinding(root.resolve("a2a"), false, A2AHttp.ALICE),
                new JsonRpcBinding(root.resolve("a2a"), true, A2AHttp.ALICE),
                new RestBinding(root, A2AHttp.ALICE),
                new GrpcBinding(A2AGrpc.port(), A2AHttp.ALICE));
    }

    public static Stream<Binding> supporting(Binding.Feature feature) {
        return all().stream().filter(b -> b.supports(feature));
    }
}
