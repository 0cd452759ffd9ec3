package run.codetether.agent.domain.dispatch;

/**
 * The step between a checked call and its dispatch that decides whether it may run. The A2A {@code access_mode}
 * picks the gate; only {@code full} is built ({@link #FULL_ACCESS}: every call runs, as before this step existed).
 * {@code approve} and {@code ask} (an approval request before a call that is not read-only, issue 15) will be gates
 * that suspend the run the way {@code question} does; until then no gate claims to approve anything.
 */
@FunctionalInterface
public interface CallGate {

    Decision check(ToolInvocation call, CallScope scope);

    /** Access mode {@code full}: the client allowed every call up front. */
    CallGate FULL_ACCESS = (call, scope) -> Decision.Proceed.INSTANCE;

    /** Closed set. */
    sealed interface Decision {
        /** Run the call. */
        record Proceed() implements Decision {
            static final Proceed INSTANCE = new Proceed();
        }

        /** Do not run it; the model reads {@code reason} as the call's (error) result. */
        record Refuse(String reason) implements Decision {}
    }
}
