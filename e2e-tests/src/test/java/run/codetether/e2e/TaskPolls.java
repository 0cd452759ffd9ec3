package run.codetether.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waiting on a task through GetTask, and reading its state and approval request: shared by the e2e tests. */
final class TaskPolls {
    private TaskPolls() {}

    /** The task once {@code until} holds, polled every 100 ms; the failure names it and {@code log} (a part's log). */
    static JsonNode awaitTask(A2aHttp http, String taskId, Duration within, Predicate<JsonNode> until,
            Callable<String> log) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode task = null;
        while (System.nanoTime() < deadline) {
            task = http.rpc("GetTask", A2aHttp.JSON.createObjectNode().put("id", taskId));
            if (until.test(task)) {
                return task;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("task " + taskId + " did not get there in " + within + ": " + task + "\nlog:\n"
                + log.call());
    }

    static boolean terminal(JsonNode task) {
        String state = task.path("status").path("state").asText();
        return state.endsWith("COMPLETED") || state.endsWith("FAILED") || state.endsWith("CANCELED")
                || state.endsWith("REJECTED");
    }

    /** The approval_request DataPart of an input-required status, or null. */
    static JsonNode approvalRequest(JsonNode task) {
        if (!task.path("status").path("state").asText().endsWith("INPUT_REQUIRED")) {
            return null;
        }
        for (JsonNode part : task.path("status").path("message").path("parts")) {
            if (part.path("data").has("approval_request")) {
                return part.path("data").path("approval_request");
            }
        }
        return null;
    }
}
