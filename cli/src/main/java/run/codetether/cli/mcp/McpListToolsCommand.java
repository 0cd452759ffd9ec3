package run.codetether.cli.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.render.Ansi;

/**
 * {@code codetether mcp list-tools}: the MCP servers' tools agents of a tenant see ({@code GET /v1/mcp/tools}), as
 * the model sees them ({@code mcp__<server>__<tool>}) with their descriptions and arguments. A server that could
 * not be listed is an error line, never left out; exit 1 when any server failed.
 */
@Command(name = "list-tools", description = "List the MCP servers' tools agents see (mcp__<server>__<tool>), "
        + "with description and arguments (GET /v1/mcp/tools).")
public final class McpListToolsCommand implements Callable<Integer> {
    @ParentCommand
    McpCommand mcp;

    @Option(names = "--tenant", paramLabel = "TENANT", description = "The A2A tenant (default: the tasks' default tenant).")
    String tenant;

    @Override
    public Integer call() throws Exception {
        CodetetherCli root = mcp.root();
        String path = "v1/mcp/tools" + (tenant == null || tenant.isBlank() ? ""
                : "?tenant=" + java.net.URLEncoder.encode(tenant.strip(), java.nio.charset.StandardCharsets.UTF_8));
        JsonNode body = root.client().getJson(path);
        boolean failed = false;
        for (JsonNode s : body.path("servers")) {
            failed |= !s.path("ok").asBoolean(false);
        }
        if (root.json()) {
            root.out().print(body.toPrettyString() + "\n");
        } else {
            root.out().print(render(body, root.ansi()));
        }
        root.out().flush();
        return failed ? ExitCodes.TASK_FAILED : ExitCodes.OK;
    }

    static String render(JsonNode body, Ansi ansi) {
        StringBuilder sb = new StringBuilder();
        String tenant = body.path("tenant").asText("default");
        if (body.path("listed_at").isNull() || body.path("listed_at").isMissingNode()) {
            return "no agent-service has published its MCP servers yet (is agent-service running and reaching Kafka?)\n";
        }
        if (body.path("servers").isEmpty()) {
            return "no MCP servers for tenant " + tenant + " (configure codetether.agent.mcp.servers.<name>.*; "
                    + "docs/mcp.md)\n";
        }
        for (JsonNode s : body.path("servers")) {
            String name = s.path("name").asText();
            if (!s.path("ok").asBoolean(false)) {
                sb.append(ansi.err("✗ " + name + ": error: " + s.path("error").asText("unknown error"))).append('\n');
                continue;
            }
            String info = s.path("server_info").asText("");
            sb.append(ansi.bold(name)).append(info.isBlank() ? "" : " (" + info + ")").append(": ")
                    .append(s.path("tools").size()).append(s.path("tools").size() == 1 ? " tool" : " tools").append('\n');
            for (JsonNode t : s.path("tools")) {
                sb.append("  ").append(ansi.bold(t.path("name").asText()));
                String d = t.path("description").asText("");
                if (!d.isBlank()) {
                    sb.append("  ").append(d.length() > 100 ? d.substring(0, 99) + "…" : d.replace('\n', ' '));
                }
                sb.append('\n');
                String args = arguments(t.path("input_schema"));
                sb.append("      ").append(ansi.dim(args.isEmpty() ? "no arguments" : "args: " + args)).append('\n');
            }
        }
        sb.append(ansi.dim("tenant " + tenant + ", listed " + body.path("listed_at").asText()
                + " by agent-service " + body.path("agent").asText("?"))).append('\n');
        return sb.toString();
    }

    /** The schema's properties as {@code name: type} ({@code *} marks required ones), in declaration order. */
    static String arguments(JsonNode schema) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode type = p.getValue().path("type");
            String t = type.isArray() ? type.toString() : type.asText(p.getValue().has("enum") ? "enum" : "any");
            out.add(p.getKey() + (required.contains(p.getKey()) ? "*" : "") + ": " + t);
        }
        return String.join(", ", out);
    }
}
