package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Optional body of {@code POST /v1/swarm/personas/{id}/reap}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReapPersonaRequest(Boolean cascade, String reason) {
    public boolean cascadeOrFalse() {
        return Boolean.TRUE.equals(cascade);
    }
}
