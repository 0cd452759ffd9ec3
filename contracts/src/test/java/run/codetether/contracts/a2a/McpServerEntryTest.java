package run.codetether.contracts.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpServerEntryTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Object json(String s) throws Exception {
        return JSON.readValue(s, new TypeReference<Map<String, Object>>() {}).get(MetadataKeys.MCP_SERVERS);
    }

    @Test
    void parsesBothKindsInOrderAndRoundTrips() throws Exception {
        List<McpServerEntry> e = McpServerEntry.parse(json("""
                {"mcp_servers": {
                  "files": {"command": "npx", "args": ["-y", "srv"], "env": {"MODE": "ro"}, "allowed_hosts": ["a.example"]},
                  "search": {"url": "https://mcp.example.com/mcp", "headers": {"X-Team": "a"}}}}"""));
        assertEquals(List.of("files", "search"), e.stream().map(McpServerEntry::name).toList());
        assertTrue(e.get(0).stdio());
        assertEquals(List.of("-y", "srv"), e.get(0).args());
        assertEquals(Map.of("MODE", "ro"), e.get(0).env());
        assertEquals(List.of("a.example"), e.get(0).allowedHosts());
        assertEquals("https://mcp.example.com/mcp", e.get(1).url());
        assertEquals(e, McpServerEntry.parse(McpServerEntry.toMetadata(e)));
        assertEquals(List.of(), McpServerEntry.parse(null));
    }

    @Test
    void everyBadShapeSaysWhereItIs() throws Exception {
        assertEquals("mcp_servers must be an object keyed by server name", assertThrows(IllegalArgumentException.class,
                () -> McpServerEntry.parse(List.of())).getMessage());
        assertThrows(IllegalArgumentException.class, () -> McpServerEntry.parse(json(
                "{\"mcp_servers\": {\"Bad Name\": {\"command\": \"x\"}}}")));
        assertEquals("MCP server 'both' needs exactly one of 'command' (stdio) and 'url' (streamable HTTP)",
                assertThrows(IllegalArgumentException.class, () -> McpServerEntry.parse(json(
                        "{\"mcp_servers\": {\"both\": {\"command\": \"x\", \"url\": \"https://h/mcp\"}}}"))).getMessage());
        assertEquals("mcp_servers.a.args must be an array of strings", assertThrows(IllegalArgumentException.class,
                () -> McpServerEntry.parse(json("{\"mcp_servers\": {\"a\": {\"command\": \"x\", \"args\": [1]}}}")))
                .getMessage());
        assertEquals("mcp_servers.a: unknown field 'secret' (known: command, args, env, allowed_hosts, url, headers)",
                assertThrows(IllegalArgumentException.class, () -> McpServerEntry.parse(json(
                        "{\"mcp_servers\": {\"a\": {\"command\": \"x\", \"secret\": \"github\"}}}"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> McpServerEntry.parse(json(
                "{\"mcp_servers\": {\"a\": {\"url\": \"https://h\", \"env\": {\"A\": \"b\"}}}}")));
    }
}
