package run.codetether.agent.domain.mcp;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.McpServerEntry;

/**
 * One MCP server a task's tools come from, as tools-service gets it in ListMcpTools and CallMcpTool: a stdio command
 * (run in the task's sandbox, with its own egress allowlist) or a streamable HTTP url, plain env and headers, and the
 * names of env vars and headers tools-service fills from the server's secret ({@code mcp:<secret>} in Vault or the
 * local secrets file). Secret values never pass through agent-service.
 *
 * @param perTask named by the client in the task's metadata (never reads a secret)
 */
public record McpServerSpec(String name, List<String> argv, Map<String, String> env, List<String> secretEnv,
        List<String> allowedHosts, String url, Map<String, String> headers, List<String> secretHeaders, String secret,
        boolean perTask) {

    public McpServerSpec {
        argv = argv == null ? List.of() : List.copyOf(argv);
        env = env == null ? Map.of() : Map.copyOf(env);
        secretEnv = secretEnv == null ? List.of() : List.copyOf(secretEnv);
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        url = url == null || url.isBlank() ? null : url.strip();
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        secretHeaders = secretHeaders == null ? List.of() : List.copyOf(secretHeaders);
        secret = secret == null || secret.isBlank() ? null : secret.strip();
        if (name == null || !McpServerEntry.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("MCP server name '" + name + "' must be 1-32 characters of [a-z0-9_-]");
        }
        if (argv.isEmpty() == (url == null)) {
            throw new IllegalArgumentException("MCP server '" + name + "' needs exactly one of a command and a url");
        }
        if (perTask && (secret != null || !secretEnv.isEmpty() || !secretHeaders.isEmpty())) {
            throw new IllegalArgumentException("MCP server '" + name + "' is named per task and may not read secrets");
        }
    }

    public boolean stdio() {
        return url == null;
    }

    /** A per-task server from the client's metadata. */
    public static McpServerSpec of(McpServerEntry e) {
        List<String> argv = new java.util.ArrayList<>();
        if (e.stdio()) {
            argv.add(e.command());
            argv.addAll(e.args());
        }
        return new McpServerSpec(e.name(), argv, e.env(), List.of(), e.allowedHosts(), e.url(), e.headers(), List.of(),
                null, true);
    }
}
