package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * One task as the client sees it, folded from its A2A 1.0 stream ({@code task}, {@code statusUpdate},
 * {@code artifactUpdate}): the model's text per step (chunks of the answer artifact, each with only the new text,
 * placed at its offset; a task snapshot's streaming artifact is the text so far), tool calls with their duration, progress lines, the final answer exactly once, usage, and what an
 * input-required state asks. Pure: the caller passes the clock, so tests are deterministic. Not thread-safe.
 */
public final class Turn {
    private final List<TurnItem> items = new ArrayList<>();
    private final SwarmProgress swarm = new SwarmProgress();
    private final RalphProgress ralph = new RalphProgress();
    private final List<String> artifacts = new ArrayList<>();
    private String taskId = "";
    private String contextId = "";
    private String state = "submitted";
    private String answer;
    /** The step text the answer's last chunk went to: a closing chunk continues it. */
    private TurnItem.Text streamed;
    private String finalMessage = "";
    private Usage usage;
    private Usage runningUsage = null;
    private InputRequest request;
    private final long startedNanos;
    private long endedNanos;

    public Turn(long startedNanos) {
        this.startedNanos = startedNanos;
    }

    /** Folds one stream result; answers true when the task reached a state the stream ends on. */
    public boolean apply(JsonNode event, long now) {
        if (event.has("task")) {
            task(event.get("task"), now);
        } else if (event.has("statusUpdate")) {
            status(event.get("statusUpdate"), now);
        } else if (event.has("artifactUpdate")) {
            artifact(event.get("artifactUpdate").path("artifact"), event.get("artifactUpdate").path("append").asBoolean(),
                    now);
        } else if (event.has("id") && event.has("status")) {
            task(event, now); // a bare Task (SendMessage result, GetTask)
        } else if (event.has("message") || event.has("parts")) {
            JsonNode m = event.has("message") ? event.get("message") : event;
            answer = text(m);
            state = "completed";
            endedNanos = now;
        }
        return ended() || waiting();
    }

    private void task(JsonNode task, long now) {
        taskId = task.path("id").asText(taskId);
        contextId = task.path("contextId").asText(contextId);
        for (JsonNode a : task.path("artifacts")) {
            artifact(a, false, now);
        }
        JsonNode status = task.path("status");
        applyState(status, task.path("metadata"), now);
    }

    private void status(JsonNode update, long now) {
        taskId = update.path("taskId").asText(taskId);
        contextId = update.path("contextId").asText(contextId);
        JsonNode status = update.path("status");
        JsonNode meta = update.path("metadata");
        String wire = shortState(status.path("state").asText(""));
        String message = text(status.path("message"));
        boolean partial = meta.path(MetadataKeys.PARTIAL).asBoolean(false);
        String callId = meta.path(MetadataKeys.CALL_ID).asText("");
        if (meta.has(MetadataKeys.SUBTASK_ID) || meta.has(MetadataKeys.SWARM_ID) && meta.has(MetadataKeys.PHASE)) {
            swarm.apply(meta, message);
        }
        if (meta.has(MetadataKeys.RALPH_EVENT)) {
            ralph.apply(meta, message);
        }
        if (!isFinal(wire) && !wire.equals("input-required") && !wire.equals("auth-required")) {
            Usage u = Usage.from(meta.get(MetadataKeys.USAGE));
            if (u != null) {
                runningUsage = runningUsage == null ? u : runningUsage.plus(u);
            }
        }
        if (partial && meta.path(MetadataKeys.OUTPUT).asBoolean(false)) {
            ToolCall running = runningTool();
            if (running != null && (callId.isEmpty() || running.callId.equals(callId))) {
                running.output = message;
            }
            state = wire.isEmpty() ? state : wire;
            return;
        }
        if (partial) {
            closeRunning(ToolCall.Status.DONE, now);
            textFor(meta.path(MetadataKeys.STEP).asInt(0)).text = message;
            state = wire.isEmpty() ? state : wire;
            return;
        }
        if (meta.has(MetadataKeys.TOOL) && !callId.isEmpty() && !meta.has(MetadataKeys.RALPH_EVENT) && !meta.has(MetadataKeys.SUBTASK_ID)
                && ended(callId, meta, now)) {
            state = wire.isEmpty() ? state : wire;
            return;
        }
        if (meta.has(MetadataKeys.TOOL) && !callId.isEmpty() && !meta.has(MetadataKeys.RALPH_EVENT) && !meta.has(MetadataKeys.SUBTASK_ID)) {
            closeRunning(ToolCall.Status.DONE, now);
            ToolCall call = new ToolCall(callId, meta.path(MetadataKeys.TOOL).asText(), Args.shortForm(meta.get(MetadataKeys.ARGUMENTS), 200), now);
            JsonNode result = meta.get(MetadataKeys.RESULT);
            items.add(new TurnItem.Tool(call));
            if (result != null && result.isTextual()) {
                call.result = result.asText();
            }
            state = wire.isEmpty() ? state : wire;
            return;
        }
        applyState(status, meta, now);
        if (!isFinal(wire) && !wire.equals("input-required") && !message.isBlank()) {
            items.add(new TurnItem.Progress(message));
        }
    }

    private void applyState(JsonNode status, JsonNode meta, long now) {
        String wire = shortState(status.path("state").asText(""));
        if (wire.isEmpty()) {
            return;
        }
        state = wire;
        if (isFinal(wire)) {
            closeRunning(wire.equals("completed") ? ToolCall.Status.DONE : ToolCall.Status.CANCELED, now);
            finalMessage = text(status.path("message"));
            Usage u = Usage.from(meta.get(MetadataKeys.USAGE));
            if (u != null) {
                usage = u;
            }
            endedNanos = now;
            if (answer == null && wire.equals("completed") && !finalMessage.isBlank()) {
                answer = finalMessage;
            }
        } else if (wire.equals("input-required") || wire.equals("auth-required")) {
            request = InputRequest.from(status, meta);
            ToolCall running = runningTool();
            if (request instanceof InputRequest.Approval && running != null) {
                running.status = ToolCall.Status.WAITING;
            } else {
                closeRunning(ToolCall.Status.DONE, now);
            }
        } else {
            request = null;
        }
    }

    private void artifact(JsonNode artifact, boolean append, long now) {
        String name = artifact.path("name").asText(artifact.path("artifactId").asText(""));
        String text = text(artifact);
        JsonNode meta = artifact.path("metadata");
        if (meta.path(MetadataKeys.PARTIAL).asBoolean(false)) {
            // a chunk of the answer as the model writes it (only the new text): the finished answer closes it
            closeRunning(ToolCall.Status.DONE, now);
            long offset = meta.has(MetadataKeys.TEXT_OFFSET) ? meta.path(MetadataKeys.TEXT_OFFSET).asLong() : append ? -1 : 0;
            streamed = textFor(meta.path(MetadataKeys.STEP).asInt(0));
            streamed.place(offset, text);
            return;
        }
        switch (name) {
            case "answer" -> answer = closing(append, meta) ? streamed.upTo(meta.path(MetadataKeys.TEXT_OFFSET).asLong()) + text
                    : append && answer != null ? answer + text : text;
            case "swarm-result" -> {
                for (JsonNode part : artifact.path("parts")) {
                    if (part.path("data").has(MetadataKeys.SUBTASKS)) {
                        swarm.titles(part.path("data").path(MetadataKeys.SUBTASKS));
                    }
                }
                answer = textOnly(artifact);
            }
            case "changed-files" -> {
                List<String> files = new ArrayList<>();
                for (JsonNode part : artifact.path("parts")) {
                    part.path("data").path(MetadataKeys.FILES).forEach(f -> files.add(f.asText()));
                }
                if (!files.isEmpty()) {
                    artifacts.add("changed files: " + String.join(", ", files));
                }
            }
            default -> artifacts.add(name + (text.isBlank() ? "" : ": " + Args.cut(Args.oneLine(text), 200)));
        }
    }

    /**
     * The update that says a call ended (it carries the result the model read, or the error): that call's line gets
     * it and ends, failed when it was an error.
     */
    private boolean ended(String callId, JsonNode meta, long now) {
        JsonNode result = meta.get(MetadataKeys.RESULT);
        JsonNode error = meta.get(MetadataKeys.ERROR);
        boolean failed = error != null && error.isTextual();
        if (!failed && (result == null || !result.isTextual())) {
            return false;
        }
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i) instanceof TurnItem.Tool(ToolCall c) && c.callId.equals(callId)) {
                c.result = failed ? error.asText() : result.asText();
                c.end(failed ? ToolCall.Status.FAILED : ToolCall.Status.DONE, now);
                return true;
            }
        }
        return false;
    }

    /**
     * The finished answer as the last chunk of what streamed (only its rest, at {@code text_offset} after the
     * streamed text): the gateway does not send a streamed answer whole again.
     */
    private boolean closing(boolean append, JsonNode meta) {
        return append && streamed != null && meta.has(MetadataKeys.TEXT_OFFSET);
    }

    private TurnItem.Text textFor(int step) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i) instanceof TurnItem.Text t && t.step == step) {
                if (i == items.size() - 1) {
                    return t;
                }
                break;
            }
        }
        TurnItem.Text t = new TurnItem.Text(step);
        items.add(t);
        return t;
    }

    private ToolCall runningTool() {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i) instanceof TurnItem.Tool(ToolCall c)
                    && (c.status == ToolCall.Status.RUNNING || c.status == ToolCall.Status.WAITING)) {
                return c;
            }
        }
        return null;
    }

    private void closeRunning(ToolCall.Status s, long now) {
        for (TurnItem item : items) {
            if (item instanceof TurnItem.Tool(ToolCall c)) {
                c.end(s, now);
            }
        }
    }

    /** The stream broke before the task ended (the gateway went away): shown as failed here. */
    public void abort(String reason, long now) {
        if (!ended()) {
            closeRunning(ToolCall.Status.CANCELED, now);
            state = "failed";
            finalMessage = reason;
            endedNanos = now;
        }
    }

    public List<TurnItem> items() {
        return items;
    }

    public String taskId() {
        return taskId;
    }

    public String contextId() {
        return contextId;
    }

    public String state() {
        return state;
    }

    /** The final answer once the task completed (from the answer artifact, else the final status message). */
    public String answer() {
        return answer;
    }

    /** The final status message (the reason of a failure or a cancel). */
    public String finalMessage() {
        return finalMessage;
    }

    /** Cumulative usage of the task: the final status's when it ended, else the sum of per-call updates. */
    public Usage usage() {
        return usage != null ? usage : runningUsage;
    }

    public InputRequest request() {
        return waiting() ? request : null;
    }

    public SwarmProgress swarm() {
        return swarm;
    }

    public RalphProgress ralph() {
        return ralph;
    }

    public List<String> artifacts() {
        return artifacts;
    }

    public boolean ended() {
        return isFinal(state);
    }

    public boolean waiting() {
        return state.equals("input-required") || state.equals("auth-required");
    }

    public long millis(long now) {
        return ((ended() ? endedNanos : now) - startedNanos) / 1_000_000;
    }

    /** The text of the last streamed step, i.e. what the client already showed of the answer. */
    public String lastStreamedText() {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i) instanceof TurnItem.Text t) {
                return i == items.size() - 1 ? t.text : "";
            }
        }
        return "";
    }

    public static boolean isFinal(String state) {
        return switch (state) {
            case "completed", "failed", "canceled", "rejected" -> true;
            default -> false;
        };
    }

    public static String shortState(String wire) {
        return wire.startsWith("TASK_STATE_") ? wire.substring(11).toLowerCase().replace('_', '-') : wire.toLowerCase();
    }

    /** Text parts joined; data parts as compact JSON; files named. */
    public static String text(JsonNode holder) {
        StringBuilder s = new StringBuilder();
        for (JsonNode part : holder.path("parts")) {
            if (part.has("text")) {
                s.append(part.get("text").asText());
            } else if (part.has("data")) {
                if (!part.get("data").has(MetadataKeys.APPROVAL_REQUEST)) {
                    s.append(part.get("data").toString());
                }
            } else if (part.has("url") || part.has("raw")) {
                s.append("[file ").append(part.path("filename").asText(part.path("url").asText())).append("]");
            }
        }
        return s.toString();
    }

    private static String textOnly(JsonNode holder) {
        StringBuilder s = new StringBuilder();
        for (JsonNode part : holder.path("parts")) {
            if (part.has("text")) {
                s.append(part.get("text").asText());
            }
        }
        return s.toString();
    }
}
