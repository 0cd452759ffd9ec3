package run.codetether.contracts.cognition;

import java.util.List;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Parent/child tree of every persona, sorted by id. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record LineageGraph(List<LineageNode> nodes, List<String> roots, int totalEdges) {
    public LineageGraph {
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        roots = roots == null ? List.of() : List.copyOf(roots);
    }
}
