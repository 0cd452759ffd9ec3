package run.codetether.bench.swarm;

import java.util.ArrayList;
import java.util.List;
import run.codetether.swarm.domain.SubtaskPlan;

/** The benchmark's swarm shape: 80% independent subtasks, then 20% that each need two of them (two stages). */
final class BenchPlan {
    private BenchPlan() {}

    static List<SubtaskPlan> of(int subtasks) {
        int first = Math.max(1, subtasks * 4 / 5);
        List<SubtaskPlan> plan = new ArrayList<>();
        for (int i = 0; i < first; i++) {
            plan.add(new SubtaskPlan("s" + i, "Scan " + i, "scan part " + i, List.of()));
        }
        for (int i = first; i < subtasks; i++) {
            int a = (i - first) * 2 % first;
            int b = (a + 1) % first;
            plan.add(new SubtaskPlan("f" + i, "Fix " + i, "fix part " + i, a == b ? List.of("s" + a) : List.of("s" + a, "s" + b)));
        }
        return plan;
    }
}
