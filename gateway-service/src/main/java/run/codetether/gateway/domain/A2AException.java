package run.codetether.gateway.domain;

import java.util.Map;

/** A failure the client must see as a spec error; message is safe to show (never a secret or a stack trace). */
public final class A2AException extends RuntimeException {
    private final A2AError error;
    private final Map<String, Object> details;

    public A2AException(A2AError error, String message) {
        this(error, message, Map.of());
    }

    public A2AException(A2AError error, String message, Map<String, Object> details) {
        super(message == null ? error.defaultMessage() : message, null, false, false);
        this.error = error;
        this.details = details == null ? Map.of() : Map.copyOf(details);
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

    public static A2AException taskNotFound(String taskId) {
        return new A2AException(A2AError.TASK_NOT_FOUND, "Task not found: " + taskId, Map.of("taskId", taskId));
    }
}
