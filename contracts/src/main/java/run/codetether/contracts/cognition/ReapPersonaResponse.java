package run.codetether.contracts.cognition;

import java.util.List;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Answer of reap: every persona id that was reaped. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReapPersonaResponse(List<String> reapedIds, int count) {
    public ReapPersonaResponse {
        reapedIds = reapedIds == null ? List.of() : List.copyOf(reapedIds);
    }
}
