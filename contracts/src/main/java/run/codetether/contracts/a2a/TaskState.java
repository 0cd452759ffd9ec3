package run.codetether.contracts.a2a;

/** Lifecycle of a task, as in A2A. */
public enum TaskState {
    SUBMITTED,
    WORKING,
    INPUT_REQUIRED,
    AUTH_REQUIRED,
    COMPLETED,
    CANCELED,
    FAILED,
    REJECTED;

    /** No further transition is possible. */
    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELED || this == FAILED || this == REJECTED;
    }

    /** The task waits for the client; a stream closes here too. */
    public boolean isInterrupted() {
        return this == INPUT_REQUIRED || this == AUTH_REQUIRED;
    }
}
