package run.codetether.gateway.api.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.mcp.McpToolCatalog;
import run.codetether.gateway.api.access.RestAdmission;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.mcp.McpToolDirectory;

/**
 * {@code GET /v1/mcp/tools?tenant=T} (docs/mcp.md): the configured MCP servers a task of tenant T gets and their
 * tools as the model sees them ({@code mcp__<server>__<tool>}), from the catalog agent-service publishes; a server
 * that could not be listed is in the answer with {@code ok=false} and its error. Same authentication as A2A. While the
 * catalog's reader starts (the gateway's first second or so): 503 UNAVAILABLE with Retry-After.
 */
@Path("/v1/mcp")
@Produces(MediaType.APPLICATION_JSON)
public class McpToolsResource {
    private final RestAdmission admission;
    private final McpToolDirectory directory;

    public McpToolsResource(RestAdmission admission, McpToolDirectory directory) {
        this.admission = admission;
        this.directory = directory;
    }

    @GET
    @Path("/tools")
    @Blocking
    public Response tools(@Context HttpServerRequest request, @QueryParam("tenant") String tenant) {
        Caller caller = admission.admit(request);
        String t = RestAdmission.tenant(caller, tenant);
        try {
            requireRead(directory);
        } catch (A2AException e) {
            throw RestAdmission.refusal(e);
        }
        return Response.ok(view(directory, t)).build();
    }

    /**
     * @throws A2AException retryable UNAVAILABLE while the catalog's reader starts (an answer then would say "none
     *     published" where one may be)
     */
    static void requireRead(McpToolDirectory directory) {
        var why = directory.notReadYet();
        if (why.isPresent()) {
            throw A2AException.retryable(A2AError.UNAVAILABLE, why.get() + "; retry in a moment", 1);
        }
    }

    /**
     * The JSON answer, shared with the JSON-RPC method: {@code {"tenant", "listed_at", "agent", "servers": [{"name",
     * "transport", "ok", "error", "tools": [{"name", "tool", "title", "description", "input_schema", "read_only"}]}]}};
     * {@code listed_at} null when no agent-service has published a catalog yet.
     */
    public static Map<String, Object> view(McpToolDirectory directory, String tenant) {
        String t = tenant == null || tenant.isBlank() ? McpToolCatalog.DEFAULT_TENANT : tenant.strip();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tenant", t);
        McpToolCatalog catalog = directory.catalog().orElse(null);
        out.put("listed_at", catalog == null ? null : catalog.listedAt().toString());
        out.put("agent", catalog == null ? null : catalog.agent());
        List<Map<String, Object>> servers = new ArrayList<>();
        if (catalog != null) {
            for (McpToolCatalog.Server s : catalog.serversFor(t)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", s.name());
                m.put("transport", s.transport());
                m.put("ok", s.ok());
                m.put("error", s.ok() ? null : s.error());
                List<Map<String, Object>> tools = new ArrayList<>();
                for (McpToolCatalog.Tool tool : s.tools()) {
                    Map<String, Object> tm = new LinkedHashMap<>();
                    tm.put("name", tool.name());
                    tm.put("tool", tool.tool());
                    tm.put("title", tool.title());
                    tm.put("description", tool.description());
                    tm.put("input_schema", schema(tool.inputSchemaJson()));
                    tm.put("read_only", Boolean.TRUE.equals(tool.readOnlyHint()));
                    tools.add(tm);
                }
                m.put("tools", tools);
                servers.add(m);
            }
        }
        out.put("servers", servers);
        return out;
    }

    private static JsonNode schema(String json) {
        try {
            return ContractJson.mapper().readTree(json);
        } catch (Exception e) {
            return ContractJson.mapper().createObjectNode(); // the agent checked it when it listed; never fails here
        }
    }
}
