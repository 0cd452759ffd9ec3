package run.codetether.gateway.api.a2a.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import run.codetether.gateway.api.a2a.RequestGuard;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;

/**
 * The same authentication and rate limit as the HTTP bindings, from gRPC metadata ({@code authorization: Bearer
 * ...} or {@code x-api-key}), plus the {@code a2a-version} service parameter (spec 10.2): absent or 1.x is
 * served, anything else is VersionNotSupported. The admitted caller travels in the gRPC context.
 */
@ApplicationScoped
public class GrpcGuard implements ServerInterceptor {
    static final Context.Key<Caller> CALLER = Context.key("codetether-a2a-caller");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> VERSION = Metadata.Key.of("a2a-version", Metadata.ASCII_STRING_MARSHALLER);

    @Inject
    RequestGuard guard;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        Caller caller;
        try {
            String version = headers.get(VERSION);
            if (version != null && !version.isBlank() && !version.trim().startsWith("1.")) {
                throw new A2AException(A2AError.VERSION_NOT_SUPPORTED,
                        "The gRPC binding serves A2A 1.0; use JSON-RPC at /a2a for 0.3");
            }
            caller = guard.admit(headers.get(AUTHORIZATION), headers.get(API_KEY), remote(call));
        } catch (RuntimeException e) {
            StatusRuntimeException s = GrpcErrors.of(e);
            call.close(s.getStatus(), s.getTrailers() == null ? new Metadata() : s.getTrailers());
            return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(CALLER, caller), call, headers, next);
    }

    private static String remote(ServerCall<?, ?> call) {
        SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        if (a instanceof InetSocketAddress i) {
            return i.getAddress() == null ? i.getHostString() : i.getAddress().getHostAddress();
        }
        return a == null ? "unknown" : a.toString();
    }
}
