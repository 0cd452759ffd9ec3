package run.codetether.agent.domain.model;

/** Tokens a model call consumed. */
public record Usage(long inputTokens, long outputTokens) {
    public static final Usage ZERO = new Usage(0, 0);

    public Usage plus(Usage o) {
        return o == null ? this : new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens);
    }
}
