package run.codetether.gateway.api.a2a.grpc;

import com.google.lf.a2a.v1.A2AServiceGrpc;
import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GlobalInterceptor;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import io.vertx.grpc.server.GrpcServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import run.codetether.gateway.api.a2a.HttpEdge;
import run.codetether.gateway.config.GatewayConfig;

/**
 * The gRPC server's message limits, the same as the HTTP bindings': a send (SendMessage, SendStreamingMessage) may
 * carry one workspace archive, so the transport admits {@link HttpEdge#sendBodyLimit}; every other A2A method is
 * held to {@code max-request-bytes} here ({@link HttpEdge#requestLimit}) and the other services on this server
 * (WorkerHub) to {@code max-body-bytes}: over it a call gets RESOURCE_EXHAUSTED (with the A2A ErrorInfo) before its
 * handler sees the message. gRPC's limit is one number per server (the transport reads a whole message up to it
 * before any interceptor sees it), hence the transport limit plus this per-method check; {@code quarkus.grpc.server.max-inbound-message-size}
 * must stay unset, because it would override the customizer. The gateway's gRPC runs on a server of its own (the
 * grpc-java server Quarkus builds on Vert.x, {@link VertxServerBuilder}; docs/operations.md "GOAWAY"); the
 * {@link GrpcServerOptions} form covers the shared Vert.x server, should it be switched back.
 */
@ApplicationScoped
@GlobalInterceptor
public class GrpcMessageLimits implements ServerBuilderCustomizer<VertxServerBuilder>, ServerInterceptor {
    private static final Set<String> SENDS = Set.of(A2AServiceGrpc.getSendMessageMethod().getFullMethodName(),
            A2AServiceGrpc.getSendStreamingMessageMethod().getFullMethodName());

    @Inject
    GatewayConfig config;

    @Override
    public void customize(GrpcServerConfiguration grpc, GrpcServerOptions options) {
        options.setMaxMessageSize(HttpEdge.sendBodyLimit(config));
    }

    @Override
    public void customize(GrpcServerConfiguration grpc, VertxServerBuilder builder) {
        builder.maxInboundMessageSize(HttpEdge.sendBodyLimit(config));
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (SENDS.contains(call.getMethodDescriptor().getFullMethodName())) {
            return next.startCall(call, headers);
        }
        boolean a2a = call.getMethodDescriptor().getServiceName() != null
                && call.getMethodDescriptor().getServiceName().equals(A2AServiceGrpc.SERVICE_NAME);
        int limit = a2a ? HttpEdge.requestLimit(config) : HttpEdge.bodyLimit(config);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                if (message instanceof MessageLite m && m.getSerializedSize() > limit) {
                    refused = true;
                    StatusRuntimeException e = GrpcErrors.of(a2a ? HttpEdge.tooLarge(limit, false)
                            : HttpEdge.tooLargeMessage(limit));
                    call.close(e.getStatus(), e.getTrailers() == null ? new Metadata() : e.getTrailers());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}
