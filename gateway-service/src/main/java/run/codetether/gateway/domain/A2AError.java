package run.codetether.gateway.domain;

/**
 * The one error table of the A2A protocol surface: every error a client can get, with its JSON-RPC code, HTTP
 * status and gRPC status name (A2A 1.0 section 5.4), and the ErrorInfo reason. The three bindings map from here and
 * nowhere else (JSON-RPC {@code Rpc}, HTTP+JSON {@code RestRoutes}, gRPC {@code GrpcErrors}).
 */
public enum A2AError {
    PARSE_ERROR(-32700, 400, "INVALID_ARGUMENT", "Invalid JSON payload"),
    INVALID_REQUEST(-32600, 400, "INVALID_ARGUMENT", "Request payload validation error"),
    METHOD_NOT_FOUND(-32601, 404, "UNIMPLEMENTED", "Method not found"),
    INVALID_PARAMS(-32602, 400, "INVALID_ARGUMENT", "Invalid parameters"),
    INTERNAL(-32603, 500, "INTERNAL", "Internal error"),
    TASK_NOT_FOUND(-32001, 404, "NOT_FOUND", "Task not found"),
    TASK_NOT_CANCELABLE(-32002, 409, "FAILED_PRECONDITION", "Task cannot be canceled"),
    PUSH_NOTIFICATION_NOT_SUPPORTED(-32003, 400, "UNIMPLEMENTED", "Push Notification is not supported"),
    UNSUPPORTED_OPERATION(-32004, 400, "UNIMPLEMENTED", "This operation is not supported"),
    CONTENT_TYPE_NOT_SUPPORTED(-32005, 415, "INVALID_ARGUMENT", "Incompatible content types"),
    INVALID_AGENT_RESPONSE(-32006, 502, "INTERNAL", "Invalid agent response"),
    EXTENDED_AGENT_CARD_NOT_CONFIGURED(-32007, 400, "FAILED_PRECONDITION", "Extended agent card not configured"),
    EXTENSION_SUPPORT_REQUIRED(-32008, 400, "FAILED_PRECONDITION", "Extension support required"),
    VERSION_NOT_SUPPORTED(-32009, 400, "UNIMPLEMENTED", "Version not supported"),
    /** Outside both reserved ranges: application-defined (JSON-RPC 2.0 section 5.1). */
    UNAUTHENTICATED(-31001, 401, "UNAUTHENTICATED", "Authentication required"),
    RATE_LIMITED(-31002, 429, "RESOURCE_EXHAUSTED", "Rate limit exceeded"),
    /**
     * The caller is authenticated but its key is not bound to the tenant it named (docs/a2a.md "Tenants");
     * application-defined like UNAUTHENTICATED (A2A 1.0 leaves authorization to the transport: HTTP 403, gRPC
     * PERMISSION_DENIED), so the JSON-RPC binding keeps the HTTP 403 too.
     */
    PERMISSION_DENIED(-31003, 403, "PERMISSION_DENIED", "Permission denied"),
    /**
     * A body over the limit is a malformed request to JSON-RPC clients (-32600, what A2A SDKs expect) and a 413 to
     * HTTP ones; the JSON-RPC binding answers both (HTTP 413 with a -32600 body).
     */
    PAYLOAD_TOO_LARGE(-32600, 413, "RESOURCE_EXHAUSTED", "Request body too large"),
    /**
     * Admission control: the client (or the platform) has as many tasks submitted or working as it may; retryable,
     * with a retry hint (Retry-After, gRPC RetryInfo, {@code data.retryAfterSeconds}).
     */
    TOO_MANY_TASKS(-31005, 429, "RESOURCE_EXHAUSTED", "Too many tasks in flight"),
    /** Kafka did not accept the work in time: retry later, nothing was half-done that the client cannot see. */
    UNAVAILABLE(-31004, 503, "UNAVAILABLE", "Service temporarily unavailable");

    private final int code;
    private final int httpStatus;
    private final String grpcStatus;
    private final String defaultMessage;

    A2AError(int code, int httpStatus, String grpcStatus, String defaultMessage) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.grpcStatus = grpcStatus;
        this.defaultMessage = defaultMessage;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String grpcStatus() {
        return grpcStatus;
    }

    public String defaultMessage() {
        return defaultMessage;
    }

    /**
     * The HTTP status of a JSON-RPC response carrying this error: refusals of the request itself (authentication,
     * a tenant the key is not bound to, rate limit, in-flight cap, body size) keep their HTTP status so that plain HTTP clients and proxies see them; every other
     * error is a JSON-RPC response like any result (200).
     */
    public int jsonRpcHttpStatus() {
        return switch (this) {
            case UNAUTHENTICATED, PERMISSION_DENIED, RATE_LIMITED, TOO_MANY_TASKS, PAYLOAD_TOO_LARGE -> httpStatus;
            default -> 200;
        };
    }

    /** A2A-specific errors carry a google.rpc.ErrorInfo with this reason (spec 9.5). */
    public boolean isA2aSpecific() {
        return code <= -32001 && code >= -32099;
    }

    /** UPPER_SNAKE_CASE without the Error suffix, e.g. TASK_NOT_FOUND. */
    public String reason() {
        return name();
    }
}
