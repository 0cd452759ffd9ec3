package run.codetether.bench.fullpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * One side of the comparison: its A2A JSON-RPC URL, agent card URL and the processes whose CPU counts for it
 * (name -> pid).
 */
record Server(String name, String url, String cardUrl, Map<String, Long> pids) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The state of a completed task in A2A 1.0 JSON (both servers write the proto enum name). */
    static final String COMPLETED = "TASK_STATE_COMPLETED";

    /**
     * Tasks not yet finished (submitted or working), from ListTasks; empty where the server cannot say (the JS SDK
     * agent has no task list: its tasks finish before it answers).
     */
    OptionalLong openTasks() {
        long open = 0;
        for (String state : new String[] {"TASK_STATE_SUBMITTED", "TASK_STATE_WORKING"}) {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ListTasks\",\"params\":{\"status\":\""
                    + state + "\",\"pageSize\":1}}";
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .header("A2A-Version", "1.0").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode total = JSON.readTree(r.body()).path("result").path("totalSize");
                if (r.statusCode() != 200 || !total.canConvertToLong()) {
                    return OptionalLong.empty();
                }
                open += total.asLong();
            } catch (IOException e) {
                return OptionalLong.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(open);
    }

    /**
     * Sends one blocking SendMessage and returns the completed task's id: proves the path works end to end before
     * anything is measured (a stack that fails every task would otherwise measure its error path), and gives the
     * GetTask rows their task.
     */
    String completedTaskId() {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"SendMessage\",\"params\":{\"message\":{\"messageId\":\""
                + UUID.randomUUID() + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"Say ok.\"}]}}}";
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(name + ": SendMessage to " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        JsonNode task;
        try {
            task = JSON.readTree(r.body()).path("result").path("task");
        } catch (IOException e) {
            throw new IllegalStateException(name + ": SendMessage answered " + r.statusCode() + " with no JSON: "
                    + r.body(), e);
        }
        if (r.statusCode() != 200 || !COMPLETED.equals(task.path("status").path("state").asText())) {
            throw new IllegalStateException(name + ": a blocking SendMessage did not complete the task (HTTP "
                    + r.statusCode() + "): " + r.body() + "\nsee the logs of the run");
        }
        return task.path("id").asText();
    }
}
