package run.codetether.agent.domain.rlm;

/** An RLM run that cannot go on: a model call failed, or a limit was reached. The message says which and why. */
public final class RlmException extends Exception {
    public RlmException(String message) {
        super(message);
    }
}
