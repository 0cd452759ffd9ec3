package run.codetether.tools.domain.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import run.codetether.tools.domain.ResultStore;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;

/**
 * The MCP side of tools-service: lists the tools of a session's servers and calls one, through the {@link McpPool}.
 * A call is idempotent by (session, call id) through the same {@link ResultStore} as Execute (its key is prefixed, so
 * an MCP call id never replays an Execute result); a failure to reach the server (could not start, exited, hung,
 * refused) is a failed result with a sentence, never an exception, so the model always gets an answer.
 */
public final class McpService {

    private static final ObjectMapper JSON = run.codetether.platform.json.Json.mapper();
    private static final String KEY_PREFIX = "mcp:";

    /**
     * @param defaultTimeout a call's limit when the request names none
     * @param maxTimeout upper bound of any call
     * @param startTimeout upper bound for start-up and handshake (also bounded by the call's own limit)
     * @param maxResultChars the most characters (text plus base64 data) one result may hold
     */
    public record Settings(boolean enabled, Duration defaultTimeout, Duration maxTimeout, Duration startTimeout,
            long maxResultChars) {}

    /** Per-server outcome of a listing, in request order. */
    public record ServerStatus(String server, boolean ok, String error, String serverInfo, String instructions) {}

    public record Listing(List<McpTool> tools, List<ServerStatus> servers) {}

    /** A call's result (answer or failure), whether it was replayed, and how long this request took. */
    public record Response(ToolResult result, McpCallResult answer, boolean replayed, long durationMs) {}

    private final McpPool pool;
    private final ResultStore store;
    private final Settings settings;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public McpService(McpPool pool, ResultStore store, Settings settings) {
        this.pool = pool;
        this.store = store;
        this.settings = settings;
    }

    public McpPool pool() {
        return pool;
    }

    /** Lists every named server's tools concurrently; each server's failure is in its status. */
    public Listing list(String sessionId, List<McpServerSpec> servers, long timeoutMs) {
        SessionRegistry.checkId(sessionId);
        checkEnabled();
        checkDistinct(servers);
        Duration limit = limit(timeoutMs);
        long deadline = System.nanoTime() + limit.toNanos();
        List<Future<McpListing>> futures = new ArrayList<>();
        for (McpServerSpec s : servers) {
            futures.add(threads.submit(() -> pool.use(sessionId, s, startLimit(limit), c -> c.list(remaining(deadline)))));
        }
        List<McpTool> tools = new ArrayList<>();
        List<ServerStatus> statuses = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            String name = servers.get(i).name();
            try {
                McpListing l = futures.get(i).get(Math.max(1, remaining(deadline).toMillis()) + 1000,
                        TimeUnit.MILLISECONDS);
                tools.addAll(l.tools());
                statuses.add(new ServerStatus(name, true, "", l.serverInfo(), l.instructions()));
            } catch (ExecutionException e) {
                statuses.add(new ServerStatus(name, false, message(e.getCause()), "", ""));
            } catch (TimeoutException e) {
                futures.get(i).cancel(true);
                statuses.add(new ServerStatus(name, false, "TIMEOUT: MCP server '" + name + "' did not list its tools"
                        + " within " + limit.toMillis() + " ms", "", ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                statuses.add(new ServerStatus(name, false, "UNAVAILABLE: interrupted", "", ""));
            }
        }
        return new Listing(tools, statuses);
    }

    /**
     * Calls one tool. Throws {@link ToolException} INVALID_ARGUMENT only for a bad envelope (session, call id, tool
     * name); everything else is a result.
     */
    public Response call(String sessionId, String callId, McpServerSpec spec, String tool, String argumentsJson,
            long timeoutMs) {
        SessionRegistry.checkId(sessionId);
        if (callId == null || callId.isBlank() || callId.length() > 256) {
            throw ToolException.invalid("call_id is required (1-256 characters)");
        }
        if (tool == null || tool.isBlank() || tool.length() > 256) {
            throw ToolException.invalid("tool is required (the tool's own name on its MCP server)");
        }
        long start = System.nanoTime();
        ResultStore.Outcome o = store.computeOnce(sessionId, KEY_PREFIX + callId,
                () -> run(sessionId, spec, tool, argumentsJson, limit(timeoutMs)));
        return new Response(o.result(), McpCallResult.fromToolResult(o.result()), o.replayed(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Closes the session's servers (CloseSession). */
    public int closeSession(String sessionId) {
        return pool.closeSession(sessionId);
    }

    private ToolResult run(String sessionId, McpServerSpec spec, String tool, String argumentsJson, Duration limit) {
        try {
            checkEnabled();
            Map<String, Object> args = arguments(spec.name(), tool, argumentsJson);
            long deadline = System.nanoTime() + limit.toNanos();
            McpCallResult r = pool.use(sessionId, spec, startLimit(limit), c -> c.call(tool, args, remaining(deadline)));
            long size = r.content().stream().mapToLong(McpContent::size).sum() + r.structuredJson().length();
            if (size > settings.maxResultChars()) {
                throw new ToolException(ToolException.Code.TOO_LARGE, "the result of " + spec.name() + "/" + tool
                        + " has " + size + " characters, more than the " + settings.maxResultChars() + " allowed"
                        + " (codetether.tools.mcp.max-result-chars); ask for less");
            }
            return r.toToolResult();
        } catch (ToolException e) {
            return ToolResult.failure(e);
        }
    }

    private static Map<String, Object> arguments(String server, String tool, String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Object v = JSON.readValue(json, Object.class);
            if (!(v instanceof Map<?, ?>)) {
                throw ToolException.invalid(server + "/" + tool + ": arguments must be a JSON object");
            }
            return JSON.convertValue(v, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw ToolException.invalid(server + "/" + tool + ": arguments are not valid JSON: " + e.getOriginalMessage());
        }
    }

    private void checkEnabled() {
        if (!settings.enabled()) {
            throw new ToolException(ToolException.Code.DISABLED, "MCP servers are switched off on this tools-service"
                    + " (codetether.tools.mcp.enabled=false)");
        }
    }

    private static void checkDistinct(List<McpServerSpec> servers) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (McpServerSpec s : servers) {
            if (!seen.add(s.name())) {
                throw ToolException.invalid("MCP server '" + s.name() + "' is named twice");
            }
        }
    }

    private Duration limit(long timeoutMs) {
        long max = settings.maxTimeout().toMillis();
        return Duration.ofMillis(timeoutMs <= 0 ? Math.min(settings.defaultTimeout().toMillis(), max)
                : Math.min(timeoutMs, max));
    }

    private Duration startLimit(Duration callLimit) {
        return callLimit.compareTo(settings.startTimeout()) < 0 ? callLimit : settings.startTimeout();
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private static String message(Throwable t) {
        if (t instanceof ToolException te) {
            return te.code() + ": " + te.getMessage();
        }
        return "UNAVAILABLE: " + t;
    }
}
