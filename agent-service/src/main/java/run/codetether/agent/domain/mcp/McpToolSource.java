package run.codetether.agent.domain.mcp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.dispatch.Blocking;
import run.codetether.agent.domain.dispatch.CallScope;
import run.codetether.agent.domain.dispatch.OfferedTool;
import run.codetether.agent.domain.dispatch.ToolSource;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.port.McpTools;
import run.codetether.contracts.events.Progress;

/**
 * The MCP dispatch kind's source: the task's MCP servers ({@link McpServerPolicy}: the tenant's, plus the task's own
 * when allowed) and their tools as {@code mcp__<server>__<tool>}, each with its server's JSON schema (so the router's
 * constrained decoding covers it) and {@code read_only} from the tool's {@code readOnlyHint}. The listing is kept per
 * (session, servers) for a while, so a run does not ask tools-service on every start, and the same list instance is
 * returned while nothing changed. A server that cannot be listed is left out and the client is told why.
 */
public final class McpToolSource implements ToolSource {

    private static final Logger LOG = Logger.getLogger(McpToolSource.class);
    private static final int MAX_CACHED = 1000;

    private record Key(String session, List<McpServerSpec> servers) {}

    private record Cached(List<OfferedTool> offered, long atMs) {}

    private final McpServerPolicy policy;
    private final McpTools tools;
    private final Duration listTimeout;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<Key, Cached> cache = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Cached> eldest) {
            return size() > MAX_CACHED;
        }
    });

    public McpToolSource(McpServerPolicy policy, McpTools tools, Duration listTimeout, Duration cacheFor, Clock clock) {
        this.policy = policy;
        this.tools = tools;
        this.listTimeout = listTimeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    @Override
    public List<OfferedTool> offered(int depth, CallScope run) {
        if (!policy.any()) {
            return List.of();
        }
        List<McpServerSpec> servers = policy.serversFor(run.task().tenant, run.task().mcpServers);
        if (servers.isEmpty()) {
            return List.of();
        }
        Key key = new Key(run.workspaceId(), servers);
        Cached c = cache.get(key);
        if (c != null && clock.millis() - c.atMs() < cacheFor.toMillis()) {
            return c.offered();
        }
        McpTools.Listing listing;
        try {
            listing = Blocking.call(() -> tools.list(run.workspaceId(), servers, listTimeout), RuntimeException.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.checkStop();
            return List.of();
        } catch (RuntimeException e) {
            run.checkStop();
            LOG.warnf("cannot list the MCP tools of task %s: %s", run.taskId(), e.getMessage());
            run.progress("MCP servers are unavailable (" + e.getMessage() + "); continuing without their tools",
                    Progress.step(run.task().steps));
            return List.of();
        }
        List<String> down = new ArrayList<>();
        for (McpTools.ServerStatus s : listing.servers()) {
            if (!s.ok()) {
                down.add(s.server() + ": " + s.error());
            }
        }
        if (!down.isEmpty()) {
            LOG.warnf("task %s: MCP servers not listed: %s", run.taskId(), down);
            run.progress("MCP servers unavailable, continuing without their tools: " + String.join("; ", down),
                    Progress.step(run.task().steps));
        }
        List<OfferedTool> offered = offer(servers, listing);
        // a failed server is asked again on the next run, not kept out for the cache's lifetime
        if (down.isEmpty()) {
            cache.put(key, new Cached(offered, clock.millis()));
        }
        return offered;
    }

    private List<OfferedTool> offer(List<McpServerSpec> servers, McpTools.Listing listing) {
        Map<String, McpServerSpec> byName = new LinkedHashMap<>();
        servers.forEach(s -> byName.put(s.name(), s));
        List<OfferedTool> out = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (McpTools.Tool t : listing.tools()) {
            McpServerSpec server = byName.get(t.server());
            if (server == null) {
                continue;
            }
            String name = McpToolNames.of(t.server(), t.name());
            if (!used.add(name)) {
                LOG.warnf("MCP server %s has two tools named %s; the second is not offered", t.server(), name);
                continue;
            }
            String description = "[MCP server " + t.server() + "] "
                    + (t.description() == null || t.description().isBlank() ? t.title() == null ? t.name() : t.title()
                            : t.description());
            ToolSpec spec = new ToolSpec(name, description, t.inputSchemaJson(), Boolean.TRUE.equals(t.readOnlyHint()),
                    false);
            out.add(OfferedTool.of(spec, new McpToolDispatch(tools, server, t.name())));
        }
        return List.copyOf(out);
    }
}
