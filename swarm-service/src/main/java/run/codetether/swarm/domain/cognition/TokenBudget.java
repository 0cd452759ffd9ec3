package run.codetether.swarm.domain.cognition;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import run.codetether.contracts.cognition.PersonaRuntimeState;

/**
 * Model tokens each persona used in the current wall-clock minute, against its {@code token_credits_per_minute}
 * (0 = no limit). A persona over its budget thinks without the model until the next minute. Not thread-safe: the
 * {@link CognitionRuntime} calls it under its lock.
 */
final class TokenBudget {
    /** persona id -> {minute, tokens used in it}. */
    private final Map<String, long[]> tokensThisMinute = new HashMap<>();

    /** Why the persona may not call the model now, or null. */
    String overBudget(PersonaRuntimeState p, Instant now) {
        int credits = p.policy() == null ? 0 : p.policy().tokenCreditsPerMinute();
        long[] used = tokensThisMinute.get(p.identity().id());
        if (credits <= 0 || used == null || used[0] != now.getEpochSecond() / 60 || used[1] < credits) {
            return null;
        }
        return "token credits exhausted: " + used[1] + " of " + credits
                + " tokens used this minute (token_credits_per_minute); thinking without the model until the next minute";
    }

    /**
     * Counts a model thought: the usage the thinker reported (total, else prompt + completion), else 4 characters
     * per token of its text.
     */
    void spend(String personaId, Integer totalTokens, Integer promptTokens, Integer completionTokens, String text,
            Instant now) {
        long tokens = totalTokens != null ? totalTokens
                : promptTokens != null && completionTokens != null ? promptTokens + completionTokens
                : (text.length() + 3) / 4;
        long minute = now.getEpochSecond() / 60;
        long[] used = tokensThisMinute.computeIfAbsent(personaId, k -> new long[] {minute, 0});
        if (used[0] != minute) {
            used[0] = minute;
            used[1] = 0;
        }
        used[1] += tokens;
    }
}
