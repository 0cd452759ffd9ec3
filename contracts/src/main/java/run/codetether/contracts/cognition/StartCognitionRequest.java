package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Optional body of {@code POST /v1/cognition/start}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StartCognitionRequest(Long loopIntervalMs, CreatePersonaRequest seedPersona) {
    public StartCognitionRequest {
        if (loopIntervalMs != null && (loopIntervalMs < 0 || loopIntervalMs > 86_400_000)) {
            throw new IllegalArgumentException("loop_interval_ms must be within 0..86400000, was " + loopIntervalMs);
        }
    }
}
