package run.codetether.swarm.domain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns subtask dependencies into stages: a subtask's stage is one more than the highest stage of its
 * dependencies, so stage 0 needs nothing and every stage only needs earlier ones. Rejects duplicate ids, unknown
 * dependencies, self-dependencies and cycles (naming the subtasks on the cycle).
 */
public final class Dag {
    private Dag() {}

    /** Stage per subtask id, in plan order. */
    public static Map<String, Integer> stages(List<SubtaskPlan> plan) {
        Map<String, SubtaskPlan> byId = new LinkedHashMap<>();
        for (SubtaskPlan p : plan) {
            if (byId.put(p.id(), p) != null) {
                throw new PlanException("duplicate subtask id '" + p.id() + "'");
            }
        }
        Map<String, Integer> indegree = new HashMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        for (SubtaskPlan p : plan) {
            Set<String> seen = new HashSet<>();
            for (String dep : p.dependsOn()) {
                if (dep.equals(p.id())) {
                    throw new PlanException("subtask '" + p.id() + "' depends on itself");
                }
                if (!byId.containsKey(dep)) {
                    throw new PlanException("subtask '" + p.id() + "' depends on unknown subtask '" + dep + "'");
                }
                if (seen.add(dep)) {
                    dependents.computeIfAbsent(dep, k -> new ArrayList<>()).add(p.id());
                }
            }
            indegree.put(p.id(), seen.size());
        }
        Map<String, Integer> stage = new HashMap<>();
        Deque<String> ready = new ArrayDeque<>();
        for (SubtaskPlan p : plan) {
            if (indegree.get(p.id()) == 0) {
                ready.add(p.id());
                stage.put(p.id(), 0);
            }
        }
        while (!ready.isEmpty()) {
            String id = ready.poll();
            for (String next : dependents.getOrDefault(id, List.of())) {
                stage.merge(next, stage.get(id) + 1, Math::max);
                if (indegree.merge(next, -1, Integer::sum) == 0) {
                    ready.add(next);
                }
            }
        }
        if (stage.size() != plan.size()) {
            List<String> onCycle = plan.stream().map(SubtaskPlan::id).filter(id -> indegree.get(id) > 0).toList();
            throw new PlanException("subtask dependencies form a cycle among " + onCycle);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        byId.keySet().forEach(id -> ordered.put(id, stage.get(id)));
        return ordered;
    }
}
