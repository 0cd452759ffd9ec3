package run.codetether.contracts.cognition;

import java.time.Instant;
import java.util.Map;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One event of the cognition stream; {@code payload} is any JSON object. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ThoughtEvent(
        String id,
        ThoughtEventType eventType,
        String personaId,
        String swarmId,
        Instant timestamp,
        Map<String, Object> payload) {
    public ThoughtEvent {
        payload = payload == null ? Map.of() : payload;
    }
}
