package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Optional body of {@code POST /v1/cognition/stop}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StopCognitionRequest(String reason) {}
