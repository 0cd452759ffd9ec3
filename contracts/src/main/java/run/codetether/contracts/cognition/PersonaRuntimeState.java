package run.codetether.contracts.cognition;

import java.time.Instant;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A persona with its policy and loop progress. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PersonaRuntimeState(
        PersonaIdentity identity,
        PersonaPolicy policy,
        PersonaStatus status,
        long thoughtCount,
        Instant lastTickAt,
        Instant updatedAt) {}
