package run.codetether.gateway.api.worker;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;

/** Carries a worker stream's credentials ({@code authorization} or {@code x-api-key}) into the gRPC context. */
@ApplicationScoped
public class WorkerCredentials implements ServerInterceptor {
    static final Context.Key<Presented> PRESENTED = Context.key("codetether-worker-credentials");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);

    /** Never logged (it holds the credentials). */
    record Presented(String authorization, String apiKey, String remote) {
        @Override
        public String toString() {
            return "Presented[remote=" + remote + "]";
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        var a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        String remote = a instanceof InetSocketAddress i && i.getAddress() != null ? i.getAddress().getHostAddress()
                : String.valueOf(a);
        return Contexts.interceptCall(Context.current().withValue(PRESENTED,
                new Presented(headers.get(AUTHORIZATION), headers.get(API_KEY), remote)), call, headers, next);
    }
}
