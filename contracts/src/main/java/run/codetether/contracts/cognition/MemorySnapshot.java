package run.codetether.contracts.cognition;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A compressed summary written by the compress phase. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record MemorySnapshot(
        String id,
        Instant generatedAt,
        String swarmId,
        List<String> personaScope,
        String summary,
        int hotEventCount,
        int warmFactCount,
        int coldSnapshotCount,
        Map<String, Object> metadata) {
    public MemorySnapshot {
        personaScope = personaScope == null ? List.of() : List.copyOf(personaScope);
        metadata = metadata == null ? Map.of() : metadata;
    }
}
