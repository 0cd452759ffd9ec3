package run.codetether.swarm.domain.cognition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.cognition.LineageGraph;
import run.codetether.contracts.cognition.LineageNode;
import run.codetether.contracts.cognition.PersonaRuntimeState;

/** The lineage tree of a set of personas: every node with its sorted children, the roots, the edge count. */
final class Lineage {
    private Lineage() {}

    static LineageGraph of(Collection<PersonaRuntimeState> personas) {
        Map<String, List<String>> children = new HashMap<>();
        List<String> roots = new ArrayList<>();
        int edges = 0;
        for (PersonaRuntimeState p : personas) {
            if (p.identity().parentId() != null) {
                children.computeIfAbsent(p.identity().parentId(), k -> new ArrayList<>()).add(p.identity().id());
                edges++;
            } else {
                roots.add(p.identity().id());
            }
        }
        List<LineageNode> nodes = personas.stream()
                .map(p -> new LineageNode(p.identity().id(), p.identity().parentId(),
                        children.getOrDefault(p.identity().id(), List.of()).stream().sorted().toList(),
                        p.identity().depth(), p.status()))
                .sorted((a, b) -> a.personaId().compareTo(b.personaId())).toList();
        return new LineageGraph(nodes, roots.stream().sorted().toList(), edges);
    }
}
