package run.codetether.router.domain;

/** Whether a model can be asked right now. */
public sealed interface ModelState {

    record Ready(ModelRouter router) implements ModelState {}

    /** No model: disabled, missing, corrupt or still loading; the reason goes to the caller and to health. */
    record Unavailable(String reason) implements ModelState {}
}
