package run.codetether.gateway.domain.dashboard;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Part;

/**
 * The sub-agent tree of a swarm, from swarm-service's progress events on the swarm's own task: each names a
 * subtask ({@code subtask_id}), its current attempt's task ({@code subtask_task_id}), the coordinator's status of it
 * ({@code subtask_status}) or the sub-agent's own state ({@code subtask_state}) and relays the sub-agent's metadata
 * ({@code subtask_metadata}: tool, usage). The final {@code swarm-result} artifact names every subtask's title.
 */
final class SwarmFold {
    private SwarmFold() {}

    static void progress(Draft d, Map<String, Object> meta) {
        if (meta.get("phase") instanceof String || meta.containsKey("subtask_id")) {
            d.kind = "swarm";
        }
        if (!(meta.get("subtask_id") instanceof String id)) {
            return;
        }
        int index = indexOf(d.subtasks, id);
        TaskSummary.SwarmNode n = index >= 0 ? d.subtasks.get(index)
                : new TaskSummary.SwarmNode(id, id, 0, 0, "pending", null, null, null, 0, 0, null, false);
        String status = meta.get("subtask_status") instanceof String st ? st : n.status();
        String taskId = meta.get("subtask_task_id") instanceof String t ? t : n.taskId();
        String state = meta.get("subtask_state") instanceof String s ? s : n.state();
        int stage = SummaryFold.integer(meta.get("stage"), n.stage());
        int attempt = SummaryFold.integer(meta.get("attempt"), n.attempt());
        boolean cached = Boolean.TRUE.equals(meta.get("cached")) || n.cached();
        String tool = n.currentTool();
        long in = n.tokensIn();
        long out = n.tokensOut();
        Double cost = n.costUsd();
        if (meta.get("subtask_metadata") instanceof Map<?, ?> sub) {
            @SuppressWarnings("unchecked")
            Map<String, Object> child = (Map<String, Object>) sub;
            tool = child.get("tool") instanceof String t ? t : null;
            Usage u = Usage.of(child);
            if (u != null) {
                in = u.tokensIn();
                out = u.tokensOut();
                cost = u.costUsd();
            }
        }
        if (!"dispatched".equals(status)) {
            state = null; // the coordinator's verdict replaces the sub-agent's last running state
            tool = null;
        }
        TaskSummary.SwarmNode next = new TaskSummary.SwarmNode(id, n.title(), stage, attempt, status, taskId, state,
                tool, in, out, cost, cached);
        if (index >= 0) {
            d.subtasks.set(index, next);
        } else {
            d.subtasks.add(next);
        }
        sumUsage(d);
    }

    /** The swarm-result artifact: titles (and final status) of every subtask. */
    static void artifact(Draft d, Artifact artifact) {
        if (!"swarm-result".equals(artifact.name())) {
            return;
        }
        for (Part p : artifact.parts()) {
            if (p instanceof Part.Data data && data.data() instanceof Map<?, ?> m && m.get("subtasks") instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof Map<?, ?> s && s.get("id") instanceof String id) {
                        int i = indexOf(d.subtasks, id);
                        TaskSummary.SwarmNode n = i >= 0 ? d.subtasks.get(i)
                                : new TaskSummary.SwarmNode(id, id, 0, 0, "pending", null, null, null, 0, 0, null, false);
                        String title = s.get("title") instanceof String t ? t : n.title();
                        String status = s.get("status") instanceof String st ? st : n.status();
                        TaskSummary.SwarmNode next = new TaskSummary.SwarmNode(id, title,
                                SummaryFold.integer(s.get("stage"), n.stage()), n.attempt(), status, n.taskId(), null,
                                null, n.tokensIn(), n.tokensOut(), n.costUsd(), Boolean.TRUE.equals(s.get("cached")));
                        if (i >= 0) {
                            d.subtasks.set(i, next);
                        } else {
                            d.subtasks.add(next);
                        }
                    }
                }
            }
        }
    }

    /** A swarm's own task reports no model usage (the coordinator's planning is not metered): its sub-agents' sum. */
    private static void sumUsage(Draft d) {
        long in = 0;
        long out = 0;
        Double cost = null;
        boolean priced = true;
        for (TaskSummary.SwarmNode n : d.subtasks) {
            in += n.tokensIn();
            out += n.tokensOut();
            if (n.costUsd() != null) {
                cost = (cost == null ? 0 : cost) + n.costUsd();
            } else if (n.tokensIn() + n.tokensOut() > 0) {
                priced = false;
            }
        }
        d.tokensIn = in;
        d.tokensOut = out;
        d.costUsd = cost;
        d.priced = priced;
    }

    private static int indexOf(List<TaskSummary.SwarmNode> nodes, String id) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
