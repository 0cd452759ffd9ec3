package run.codetether.gateway.support.binding;

/**
 * A refused call, binding-neutral: the error's reason (TASK_NOT_FOUND, INVALID_PARAMS, ...) and its message. The
 * binding that built it has already checked its own wire mapping of the reason against {@link ErrorTable}.
 */
public record Failure(String reason, String message) {}
