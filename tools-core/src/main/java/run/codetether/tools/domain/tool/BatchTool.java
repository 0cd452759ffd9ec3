package run.codetether.tools.domain.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;

/**
 * batch: several calls in one request. Consecutive read-only calls run in parallel; a call that changes files
 * (edit, write_file, bash, ...) waits for everything before it and runs alone, so results match running the calls
 * one by one in order. Each call succeeds or fails on its own; the batch reports every result in order.
 */
public final class BatchTool implements Tool {

    private static final int MAX_CALLS = 25;
    private final ToolDispatcher dispatcher;

    public BatchTool(ToolDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public boolean mutates() {
        return true;
    }

    @Override
    public String description() {
        return "batch(calls: [{tool, args}]) - Run several tool calls in one request (independent read-only calls in"
                + " parallel, file-changing calls in order). At most " + MAX_CALLS + " calls; no nested batch.";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "calls":{"type":"array","minItems":1,"maxItems":25,"description":"Array of tool calls to execute","items":{
                "type":"object","properties":{
                "tool":{"type":"string","description":"Tool ID to call"},
                "args":{"type":"object","description":"Arguments for the tool"}},
                "required":["tool","args"]}}},
                "required":["calls"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        JsonNode calls = call.args().requireArray("calls");
        if (calls.size() > MAX_CALLS) {
            throw ToolException.invalid("batch: at most " + MAX_CALLS + " calls, got " + calls.size());
        }
        ToolResult[] results = new ToolResult[calls.size()];
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Integer> group = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                JsonNode c = calls.get(i);
                String tool = c.path("tool").asText("");
                if (dispatcher.mutates(tool) || tool.equals("batch")) {
                    runGroup(pool, group, calls, call, results);
                    results[i] = one(call, c);
                } else {
                    group.add(i);
                }
            }
            runGroup(pool, group, calls, call, results);
        }
        int ok = 0;
        StringBuilder sb = new StringBuilder();
        List<Map<String, Object>> meta = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            ToolResult r = results[i];
            String tool = calls.get(i).path("tool").asText("?");
            ok += r.ok() ? 1 : 0;
            sb.append("[").append(i + 1).append("] ").append(tool).append(r.ok() ? " ✓\n" : " ✗\n")
                    .append(r.ok() ? r.output() : r.error()).append("\n\n");
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", tool);
            m.put("ok", r.ok());
            m.put("output", r.output());
            m.put("error", r.error());
            meta.add(m);
        }
        String summary = "Batch: " + ok + "/" + results.length + " calls succeeded\n\n" + sb.toString().strip();
        return new ToolResult(ok == results.length, summary, ok == results.length ? ""
                : (results.length - ok) + " of " + results.length + " calls failed", null, false,
                Map.of("success_count", ok, "error_count", results.length - ok, "results", meta));
    }

    private void runGroup(ExecutorService pool, List<Integer> group, JsonNode calls, ToolCall parent,
            ToolResult[] results) {
        List<Future<ToolResult>> fs = new ArrayList<>();
        for (int i : group) {
            JsonNode c = calls.get(i);
            fs.add(pool.submit(() -> one(parent, c)));
        }
        for (int k = 0; k < group.size(); k++) {
            try {
                results[group.get(k)] = fs.get(k).get();
            } catch (Exception e) {
                results[group.get(k)] = ToolResult.failure(new ToolException(ToolException.Code.UNAVAILABLE,
                        "call failed: " + e.getMessage()));
            }
        }
        group.clear();
    }

    private ToolResult one(ToolCall parent, JsonNode c) {
        if (!c.isObject() || !c.path("tool").isTextual()) {
            return ToolResult.failure(ToolException.invalid("batch: each call needs a string 'tool' and an object 'args'"));
        }
        String tool = c.get("tool").asText();
        if (tool.equals("batch")) {
            return ToolResult.failure(ToolException.invalid("batch: nested batch calls are not allowed"));
        }
        JsonNode args = c.path("args");
        if (!args.isObject()) {
            return ToolResult.failure(ToolException.invalid("batch: 'args' of " + tool + " must be an object"));
        }
        return dispatcher.dispatch(parent, tool, args);
    }
}
