package run.codetether.gateway.api.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Singleton;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.mcp.McpToolDirectory;
import run.codetether.platform.json.Json;

/**
 * The JSON-RPC extension method {@code codetether/mcp/tools/list} ({@code params: {"tenant": "..."}}, optional): the
 * same answer as {@code GET /v1/mcp/tools}, with the same admission as A2A.
 */
@Singleton
public class McpToolsRpcMethod {
    public static final String METHOD = "codetether/mcp/tools/list";
    /** Keeps null fields ({@code listed_at}, {@code error}), as the REST answer does: the two bodies are the same. */
    private static final ObjectMapper JSON = Json.writingNulls();

    private final RequestGuard guard;
    private final McpToolDirectory directory;

    public McpToolsRpcMethod(RequestGuard guard, McpToolDirectory directory) {
        this.guard = guard;
        this.directory = directory;
    }

    public boolean handles(String method) {
        return METHOD.equals(method);
    }

    /**
     * @throws A2AException UNAUTHENTICATED, RATE_LIMITED, INVALID_PARAMS for a tenant that is not a string,
     *     PERMISSION_DENIED for a tenant the caller's key is not bound to, or a retryable UNAVAILABLE while the
     *     catalog's reader starts
     */
    public JsonNode call(ObjectNode params, CallContext context) {
        Caller caller = guard.admit(context.authorization(), context.apiKey(), context.remote());
        JsonNode tenant = params == null ? null : params.get("tenant");
        if (tenant != null && !tenant.isNull() && !tenant.isTextual()) {
            throw new A2AException(A2AError.INVALID_PARAMS, "params.tenant must be a string");
        }
        String named = tenant == null || tenant.isNull() || tenant.asText().isBlank() ? null : tenant.asText().strip();
        if (named != null && !caller.tenants().mayUse(named)) {
            throw A2AException.tenantNotBound(caller, named);
        }
        McpToolsResource.requireRead(directory);
        return JSON.valueToTree(McpToolsResource.view(directory,
                named == null ? caller.tenants().defaultTenant() : named));
    }
}
