package run.codetether.gateway.api.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.handler.CallContext;
import run.codetether.gateway.domain.handler.RequestGuard;
import run.codetether.gateway.domain.mcp.McpToolDirectory;

/**
 * While the MCP tool catalog's reader starts, {@code codetether/mcp/tools/list} is a retryable UNAVAILABLE (not an
 * answer saying no catalog was published); once read, the catalog (none published here) is answered.
 */
class McpToolsRpcMethodStartTest {

    @Test
    void retryableWhileTheCatalogIsReadThenAnswered() {
        McpToolDirectory directory = new McpToolDirectory();
        directory.reading("the MCP tool catalog is being read");
        McpToolsRpcMethod method = new McpToolsRpcMethod(
                new RequestGuard(true, new ApiKeys(List.of()), new RateLimiter(1000, 1000, System::nanoTime)),
                directory);
        CallContext anonymous = CallContext.of(null, null, "127.0.0.1");

        A2AException early = assertThrows(A2AException.class, () -> method.call(null, anonymous));
        assertEquals(A2AError.UNAVAILABLE, early.error());
        assertEquals(1, early.retryAfterSeconds());
        assertTrue(early.getMessage().startsWith("the MCP tool catalog is being read"), early.getMessage());

        directory.read();
        JsonNode answer = method.call(null, anonymous);
        assertTrue(answer.get("listed_at").isNull(), answer.toString());
        assertEquals(0, answer.get("servers").size(), answer.toString());
    }
}
