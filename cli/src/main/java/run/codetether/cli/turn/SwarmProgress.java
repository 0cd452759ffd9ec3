package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * A swarm's sub-agents as its task's status updates describe them (swarm-service metadata {@code subtask_id},
 * {@code subtask_status}, {@code completed}, {@code total}, {@code subtask_metadata} = the worker's own metadata).
 */
public final class SwarmProgress {
    /** One sub-agent. */
    public static final class Agent {
        public final String id;
        String title = "";
        String status = "pending";
        String tool = "";
        Usage usage = Usage.ZERO;
        final List<String> log = new ArrayList<>();

        Agent(String id) {
            this.id = id;
        }

        public String title() {
            return title;
        }

        public String status() {
            return status;
        }

        public String tool() {
            return tool;
        }

        public Usage usage() {
            return usage;
        }

        public List<String> log() {
            return log;
        }
    }

    private final Map<String, Agent> agents = new LinkedHashMap<>();
    String phase = "";
    int completed;
    int total;

    public List<Agent> agents() {
        return List.copyOf(agents.values());
    }

    public String phase() {
        return phase;
    }

    public int completed() {
        return completed;
    }

    public int total() {
        return Math.max(total, agents.size());
    }

    public boolean active() {
        return !agents.isEmpty() || !phase.isEmpty();
    }

    void apply(JsonNode meta, String message) {
        if (meta.has(MetadataKeys.PHASE)) {
            phase = meta.path(MetadataKeys.PHASE).asText();
        }
        if (meta.has(MetadataKeys.SUBTASKS) && meta.get(MetadataKeys.SUBTASKS).canConvertToInt()) {
            total = meta.get(MetadataKeys.SUBTASKS).asInt();
        }
        if (meta.has(MetadataKeys.TOTAL)) {
            total = meta.path(MetadataKeys.TOTAL).asInt(total);
        }
        if (meta.has(MetadataKeys.COMPLETED)) {
            completed = meta.path(MetadataKeys.COMPLETED).asInt(completed);
        }
        String id = meta.path(MetadataKeys.SUBTASK_ID).asText("");
        if (id.isEmpty()) {
            return;
        }
        Agent a = agents.computeIfAbsent(id, Agent::new);
        if (meta.has(MetadataKeys.SUBTASK_STATUS)) {
            a.status = meta.path(MetadataKeys.SUBTASK_STATUS).asText();
        }
        if (meta.has(MetadataKeys.TITLE)) {
            a.title = meta.path(MetadataKeys.TITLE).asText();
        }
        JsonNode worker = meta.path(MetadataKeys.SUBTASK_METADATA);
        if (worker.isObject()) {
            if (worker.has(MetadataKeys.TOOL) && !worker.path(MetadataKeys.OUTPUT).asBoolean(false)) {
                a.tool = worker.path(MetadataKeys.TOOL).asText();
            } else if (worker.path(MetadataKeys.PARTIAL).asBoolean(false)) {
                a.tool = "";
            }
            Usage u = Usage.from(worker.get(MetadataKeys.USAGE));
            if (u != null) {
                a.usage = u;
            }
            if (!"running".equals(a.status) && !isFinal(a.status)) {
                a.status = "running";
            }
        }
        if (isFinal(a.status)) {
            a.tool = "";
        }
        if (message != null && !message.isBlank() && !worker.path(MetadataKeys.PARTIAL).asBoolean(false)) {
            a.log.add(message);
            if (a.log.size() > 200) {
                a.log.remove(0);
            }
        }
    }

    /** Titles from the {@code swarm-result} artifact's data part. */
    void titles(JsonNode subtasks) {
        for (JsonNode s : subtasks) {
            Agent a = agents.computeIfAbsent(s.path(MetadataKeys.ID).asText(), Agent::new);
            a.title = s.path(MetadataKeys.TITLE).asText(a.title);
            if (s.has(MetadataKeys.STATUS)) {
                a.status = s.path(MetadataKeys.STATUS).asText(a.status);
            }
        }
    }

    static boolean isFinal(String status) {
        return switch (status) {
            case "completed", "failed", "skipped", "cached", "canceled" -> true;
            default -> false;
        };
    }
}
