package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Limits and budgets of a persona; defaults as in the original (4, 4, 20000, 10000, 3600, false). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PersonaPolicy(
        int maxSpawnDepth,
        int maxBranchingFactor,
        int tokenCreditsPerMinute,
        int cpuCreditsPerMinute,
        long idleTtlSecs,
        boolean shareMemory) {
    public PersonaPolicy {
        if (maxSpawnDepth < 0 || maxBranchingFactor < 0 || tokenCreditsPerMinute < 0 || cpuCreditsPerMinute < 0
                || idleTtlSecs < 0) {
            throw new IllegalArgumentException("policy values must not be negative");
        }
    }

    public static PersonaPolicy defaults() {
        return new PersonaPolicy(4, 4, 20_000, 10_000, 3_600, false);
    }
}
