package run.codetether.gateway.domain;

import java.util.Map;

/** A failure the client must see as a spec error; message is safe to show (never a secret or a stack trace). */
public final class A2AException extends RuntimeException {
    private final A2AError error;
    private final Map<String, Object> details;
    private final long retryAfterSeconds;

    public A2AException(A2AError error, String message) {
        this(error, message, Map.of());
    }

    public A2AException(A2AError error, String message, Map<String, Object> details) {
        this(error, message, details, -1);
    }

    private A2AException(A2AError error, String message, Map<String, Object> details, long retryAfterSeconds) {
        super(message == null ? error.defaultMessage() : message, null, false, false);
        this.error = error;
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** A retryable refusal: each binding says when to come back (Retry-After, gRPC RetryInfo, error data). */
    public static A2AException retryable(A2AError error, String message, long retryAfterSeconds) {
        return new A2AException(error, message, Map.of("retryAfterSeconds", retryAfterSeconds),
                Math.max(0, retryAfterSeconds));
    }

    /**
     * A stream that had to end before its task did (the gateway stops, the task left this replica's view, the
     * client read too slowly): retryable UNAVAILABLE, whose details say which task and why, so the client
     * resubscribes (SubscribeToTask) or reads the task (GetTask).
     *
     * @param why a stable word: {@code shutdown}, {@code evicted}, {@code slow_consumer}
     */
    public static A2AException streamEnded(String taskId, String why, String message, long retryAfterSeconds) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("retryAfterSeconds", retryAfterSeconds);
        if (taskId != null) {
            details.put("taskId", taskId);
        }
        details.put("streamEnded", why);
        return new A2AException(A2AError.UNAVAILABLE, message, details, Math.max(0, retryAfterSeconds));
    }

    /** Seconds after which a retry may succeed, or -1 when the error is not a retryable refusal. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public A2AError error() {
        return error;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static A2AException invalidParams(String message) {
        return new A2AException(A2AError.INVALID_PARAMS, message);
    }

    /** A tenant the caller's key is not bound to; says what it may use instead (its own tenants only). */
    public static A2AException tenantNotBound(Caller caller, String tenant) {
        return new A2AException(A2AError.PERMISSION_DENIED, "client '" + caller.clientId() + "' is not bound to tenant '"
                + tenant + "' (it may use " + caller.tenants().describe() + ")", java.util.Map.of("tenant", tenant));
    }

    public static A2AException taskNotFound(String taskId) {
        return new A2AException(A2AError.TASK_NOT_FOUND, "Task not found: " + taskId, Map.of("taskId", taskId));
    }
}
