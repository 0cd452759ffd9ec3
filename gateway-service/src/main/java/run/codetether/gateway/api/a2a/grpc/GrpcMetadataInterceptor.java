package run.codetether.gateway.api.a2a.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.handler.CallContext;

/**
 * Carries what a gRPC call presented in its metadata ({@code authorization: Bearer ...} or {@code x-api-key}, the
 * {@code a2a-version} service parameter of spec 10.2) and its remote address into the gRPC context. The service
 * turns it into the call context on its worker thread; admission (authentication, rate limit) is the request
 * handler's admission decorator, the same for every binding.
 */
@ApplicationScoped
public class GrpcMetadataInterceptor implements ServerInterceptor {
    static final Context.Key<Presented> PRESENTED = Context.key("codetether-a2a-credentials");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> VERSION = Metadata.Key.of("a2a-version", Metadata.ASCII_STRING_MARSHALLER);

    /** What a call presented; never logged (it holds the credentials). */
    record Presented(String authorization, String apiKey, String version, String remote) {
        @Override
        public String toString() {
            return "Presented[remote=" + remote + "]";
        }
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Presented presented = new Presented(headers.get(AUTHORIZATION), headers.get(API_KEY), headers.get(VERSION),
                remote(call));
        return Contexts.interceptCall(Context.current().withValue(PRESENTED, presented), call, headers, next);
    }

    /** The call context of what a call presented: absent or 1.x {@code a2a-version} is served, else refused. */
    static CallContext context(Presented p) {
        if (p == null) {
            throw new A2AException(A2AError.INTERNAL, "Internal error"); // the interceptor did not run
        }
        if (p.version() != null && !p.version().isBlank() && !p.version().trim().startsWith("1.")) {
            throw new A2AException(A2AError.VERSION_NOT_SUPPORTED,
                    "The gRPC binding serves A2A 1.0; use JSON-RPC at /a2a for 0.3");
        }
        return CallContext.of(p.authorization(), p.apiKey(), p.remote());
    }

    private static String remote(ServerCall<?, ?> call) {
        SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
        }
        return a == null ? "unknown" : a.toString();
    }
}
