package run.codetether.gateway.api.a2a.grpc;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Instant;
import org.jboss.logging.Logger;
import run.codetether.gateway.api.a2a.WireJson;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TaskEngine;

/**
 * A2A errors as gRPC statuses (spec 10.6): the code from the one error table ({@code A2AError.grpcStatus}), the
 * message, and a {@code google.rpc.ErrorInfo} (reason TASK_NOT_FOUND etc., domain a2a-protocol.org, metadata) in
 * the status details; a retryable refusal (rate limit) also gets a {@code google.rpc.RetryInfo}.
 */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);
    static final String DOMAIN = "a2a-protocol.org";

    private GrpcErrors() {}

    static StatusRuntimeException of(Throwable failure) {
        Throwable cause = TaskEngine.cause(failure);
        A2AException error;
        if (cause instanceof A2AException a) {
            error = a;
        } else if (cause instanceof StatusRuntimeException s) {
            return s;
        } else {
            LOG.errorf("gRPC call failed unexpectedly: %s", cause.toString());
            error = new A2AException(A2AError.INTERNAL, "Internal error");
        }
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(error.error().reason()).setDomain(DOMAIN);
        error.details().forEach((k, v) -> info.putMetadata(k, String.valueOf(v)));
        info.putMetadata("timestamp", WireJson.timestamp(Instant.now()));
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(io.grpc.Status.Code.valueOf(error.error().grpcStatus()).value())
                .setMessage(error.getMessage())
                .addDetails(Any.pack(info.build()));
        if (error.retryAfterSeconds() >= 0) {
            status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(
                    com.google.protobuf.Duration.newBuilder().setSeconds(error.retryAfterSeconds())).build()));
        }
        return StatusProto.toStatusRuntimeException(status.build());
    }
}
