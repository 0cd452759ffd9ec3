package run.codetether.agent.domain.dispatch;

/**
 * The step between a checked call and its dispatch that decides whether it may run: {@link #FULL_ACCESS} lets every
 * call run; {@link ApprovalGate} reads the task's access mode and the client's decisions and may suspend the run
 * with an approval request ({@link Decision.Ask}), the way {@code question} does.
 */
@FunctionalInterface
public interface CallGate {

    Decision check(ToolInvocation call, CallScope scope) throws InterruptedException;

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

        /**
         * Wait for the client: the task goes to input-required with {@code text} and the approval request as a
         * DataPart; the call stays open until the next message decides it.
         */
        record Ask(String text, run.codetether.contracts.approval.ApprovalRequest request) implements Decision {}
    }
}
