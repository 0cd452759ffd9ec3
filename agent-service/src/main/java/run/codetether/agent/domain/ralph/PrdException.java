package run.codetether.agent.domain.ralph;

/** A PRD that cannot be read or used; the message says what is wrong and where. */
public final class PrdException extends Exception {
    public PrdException(String message) {
        super(message);
    }
}
