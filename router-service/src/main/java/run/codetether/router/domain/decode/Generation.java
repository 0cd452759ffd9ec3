package run.codetether.router.domain.decode;

/**
 * The outcome of decoding one row: the generated symbols, the prefix of them that holds the complete calls
 * ({@code callText}; a call cut off by the token budget is not in it), why it stopped, how many complete calls
 * there are and where the time went.
 */
public record Generation(String symbols, String callText, int[] tokens, Stop stop, int completeCalls, int promptTokens,
        int batchSize, double queueMs, double prefillMs, double decodeMs) {

    /** Why decoding of a row stopped. */
    public enum Stop {
        /** The stop token was chosen (after zero or more calls). */
        END,
        /** The token budget ran out. */
        MAX_TOKENS,
        /** The request's deadline passed. */
        DEADLINE,
        /** No token could continue the grammar (a vocabulary gap). */
        DEAD_END
    }

    public int generatedTokens() {
        return tokens.length;
    }
}
