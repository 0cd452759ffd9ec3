package run.codetether.gateway.api.a2a.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.handler.RequestGuard;

/** The gRPC status of every A2A error (spec 5.4 / 10.6), without a server. */
class GrpcErrorsTest {

    private static com.google.rpc.Status details(StatusRuntimeException e) {
        return StatusProto.fromThrowable(e);
    }

    @Test
    void a2aErrorsMapToTheSpecCodesWithErrorInfo() throws Exception {
        Map<A2AError, Status.Code> expected = Map.of(
                A2AError.TASK_NOT_FOUND, Status.Code.NOT_FOUND,
                A2AError.TASK_NOT_CANCELABLE, Status.Code.FAILED_PRECONDITION,
                A2AError.UNSUPPORTED_OPERATION, Status.Code.UNIMPLEMENTED,
                A2AError.PUSH_NOTIFICATION_NOT_SUPPORTED, Status.Code.UNIMPLEMENTED,
                A2AError.INVALID_PARAMS, Status.Code.INVALID_ARGUMENT,
                A2AError.CONTENT_TYPE_NOT_SUPPORTED, Status.Code.INVALID_ARGUMENT,
                A2AError.VERSION_NOT_SUPPORTED, Status.Code.UNIMPLEMENTED,
                A2AError.UNAUTHENTICATED, Status.Code.UNAUTHENTICATED,
                A2AError.RATE_LIMITED, Status.Code.RESOURCE_EXHAUSTED,
                A2AError.UNAVAILABLE, Status.Code.UNAVAILABLE);
        for (var e : expected.entrySet()) {
            StatusRuntimeException s = GrpcErrors.of(
                    new CompletionException(new A2AException(e.getKey(), "m", Map.of("taskId", "t-1"))));
            assertEquals(e.getValue(), s.getStatus().getCode(), e.getKey().name());
            assertEquals("m", s.getStatus().getDescription());
            ErrorInfo info = details(s).getDetails(0).unpack(ErrorInfo.class);
            assertEquals(e.getKey().name(), info.getReason());
            assertEquals("a2a-protocol.org", info.getDomain());
            assertEquals("t-1", info.getMetadataOrThrow("taskId"));
        }
    }

    @Test
    void rateLimitCarriesRetryInfo() throws Exception {
        RequestGuard guard = new RequestGuard(false, new ApiKeys(List.of("c:key-123456")),
                new RateLimiter(1, 1, () -> 0L));
        guard.admit("Bearer key-123456", null, "127.0.0.1");
        RuntimeException limited = assertThrows(RuntimeException.class,
                () -> guard.admit("Bearer key-123456", null, "127.0.0.1"));
        StatusRuntimeException s = GrpcErrors.of(limited);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getStatus().getCode());
        com.google.rpc.Status st = details(s);
        assertEquals("RATE_LIMITED", st.getDetails(0).unpack(ErrorInfo.class).getReason());
        assertEquals(1, st.getDetails(1).unpack(RetryInfo.class).getRetryDelay().getSeconds());
    }

    @Test
    void unexpectedFailuresAreInternalWithoutTheirText() {
        StatusRuntimeException s = GrpcErrors.of(new IllegalStateException("secret detail"));
        assertEquals(Status.Code.INTERNAL, s.getStatus().getCode());
        assertEquals("Internal error", s.getStatus().getDescription());
    }
}
