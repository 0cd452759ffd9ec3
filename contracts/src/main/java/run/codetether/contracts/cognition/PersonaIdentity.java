package run.codetether.contracts.cognition;

import java.time.Instant;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Who a persona is and where it sits in the lineage (depth 0 = root). */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PersonaIdentity(
        String id,
        String name,
        String role,
        String charter,
        String swarmId,
        String parentId,
        int depth,
        Instant createdAt) {}
