package run.codetether.cli.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.turn.Turn;
import run.codetether.platform.json.Json;

/** A session's conversation as the gateway keeps it: its tasks (ListTasks by contextId), oldest first. */
public record Transcript(String contextId, List<JsonNode> tasks, List<Line> lines) {
    /** One message. */
    public record Line(String role, String text) {}

    public static Transcript load(A2aClient client, String contextId) throws IOException, InterruptedException {
        List<JsonNode> tasks = new ArrayList<>();
        String token = null;
        do {
            ObjectNode params = Json.mapper().createObjectNode().put("contextId", contextId).put("pageSize", 100)
                    .put("historyLength", 100).put("includeArtifacts", true);
            if (token != null) {
                params.put("pageToken", token);
            }
            JsonNode page = client.call("ListTasks", params);
            page.path("tasks").forEach(tasks::add);
            token = page.path("nextPageToken").asText("");
        } while (!token.isEmpty() && tasks.size() < 1000);
        List<JsonNode> oldestFirst = new ArrayList<>(tasks);
        java.util.Collections.reverse(oldestFirst);
        return new Transcript(contextId, oldestFirst, lines(oldestFirst));
    }

    static List<Line> lines(List<JsonNode> tasks) {
        List<Line> lines = new ArrayList<>();
        for (JsonNode task : tasks) {
            boolean agentSaid = false;
            for (JsonNode m : task.path("history")) {
                String role = m.path("role").asText().endsWith("USER") ? "user" : "agent";
                String text = Turn.text(m);
                if (!text.isBlank()) {
                    lines.add(new Line(role, text));
                    agentSaid |= role.equals("agent");
                }
            }
            if (!agentSaid) {
                Turn t = new Turn(0);
                t.apply(task, 0);
                if (t.answer() != null && !t.answer().isBlank()) {
                    lines.add(new Line("agent", t.answer()));
                } else if (t.ended() && !t.finalMessage().isBlank()) {
                    lines.add(new Line("agent", "(" + t.state() + ") " + t.finalMessage()));
                }
            }
        }
        return lines;
    }
}
