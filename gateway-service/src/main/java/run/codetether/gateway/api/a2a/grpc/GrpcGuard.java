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
import run.codetether.gateway.api.a2a.RequestGuard;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;

/**
 * The same authentication and rate limit as the HTTP bindings, from gRPC metadata ({@code authorization: Bearer
 * ...} or {@code x-api-key}), plus the {@code a2a-version} service parameter (spec 10.2): absent or 1.x is
 * served, anything else is VersionNotSupported. The interceptor only carries what the client presented in the gRPC
 * context; the service admits it on its worker thread, off the event loop (a JWT may need the issuer's JWKS).
 */
@ApplicationScoped
public class GrpcGuard implements ServerInterceptor {
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

    /** Admits the current call's client (to be called on a worker thread). */
    static Caller admit(Presented p, RequestGuard guard) {
        if (p == null) {
            throw new A2AException(A2AError.INTERNAL, "Internal error"); // the interceptor did not run
        }
        if (p.version() != null && !p.version().isBlank() && !p.version().trim().startsWith("1.")) {
            throw new A2AException(A2AError.VERSION_NOT_SUPPORTED,
                    "The gRPC binding serves A2A 1.0; use JSON-RPC at /a2a for 0.3");
        }
        return guard.admit(p.authorization(), p.apiKey(), p.remote());
    }

    private static String remote(ServerCall<?, ?> call) {
        SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
        }
        return a == null ? "unknown" : a.toString();
    }
}
