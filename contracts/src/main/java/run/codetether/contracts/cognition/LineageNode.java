package run.codetether.contracts.cognition;

import java.util.List;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** One persona in the lineage graph. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LineageNode(String personaId, String parentId, List<String> children, int depth, PersonaStatus status) {
    public LineageNode {
        children = children == null ? List.of() : List.copyOf(children);
    }
}
