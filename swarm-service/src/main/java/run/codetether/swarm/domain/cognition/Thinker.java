package run.codetether.swarm.domain.cognition;

/** The model that writes thoughts. Throws on any failure; the runtime then falls back to deterministic text. */
public interface Thinker {

    Output think(String system, String user);

    /** What the model answered, with the usage it reported (null when it did not). */
    record Output(String text, String model, String finishReason, Integer promptTokens, Integer completionTokens,
            Integer totalTokens) {}
}
