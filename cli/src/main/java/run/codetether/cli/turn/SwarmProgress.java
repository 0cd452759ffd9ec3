package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        if (meta.has("phase")) {
            phase = meta.path("phase").asText();
        }
        if (meta.has("subtasks") && meta.get("subtasks").canConvertToInt()) {
            total = meta.get("subtasks").asInt();
        }
        if (meta.has("total")) {
            total = meta.path("total").asInt(total);
        }
        if (meta.has("completed")) {
            completed = meta.path("completed").asInt(completed);
        }
        String id = meta.path("subtask_id").asText("");
        if (id.isEmpty()) {
            return;
        }
        Agent a = agents.computeIfAbsent(id, Agent::new);
        if (meta.has("subtask_status")) {
            a.status = meta.path("subtask_status").asText();
        }
        if (meta.has("title")) {
            a.title = meta.path("title").asText();
        }
        JsonNode worker = meta.path("subtask_metadata");
        if (worker.isObject()) {
            if (worker.has("tool") && !worker.path("output").asBoolean(false)) {
                a.tool = worker.path("tool").asText();
            } else if (worker.path("partial").asBoolean(false)) {
                a.tool = "";
            }
            Usage u = Usage.from(worker.get("usage"));
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
        if (message != null && !message.isBlank() && !worker.path("partial").asBoolean(false)) {
            a.log.add(message);
            if (a.log.size() > 200) {
                a.log.remove(0);
            }
        }
    }

    /** Titles from the {@code swarm-result} artifact's data part. */
    void titles(JsonNode subtasks) {
        for (JsonNode s : subtasks) {
            Agent a = agents.computeIfAbsent(s.path("id").asText(), Agent::new);
            a.title = s.path("title").asText(a.title);
            if (s.has("status")) {
                a.status = s.path("status").asText(a.status);
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
