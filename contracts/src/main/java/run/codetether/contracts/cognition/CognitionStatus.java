package run.codetether.contracts.cognition;

import java.time.Instant;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Answer of start, stop and status. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CognitionStatus(
        boolean enabled,
        boolean running,
        long loopIntervalMs,
        Instant startedAt,
        Instant lastTickAt,
        int personaCount,
        int activePersonaCount,
        int eventsBuffered,
        int snapshotsBuffered) {}
