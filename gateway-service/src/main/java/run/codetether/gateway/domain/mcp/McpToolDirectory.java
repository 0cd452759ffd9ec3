package run.codetether.gateway.domain.mcp;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import run.codetether.contracts.mcp.McpToolCatalog;

/**
 * The latest catalog of the configured MCP servers' tools an agent-service replica published (every gateway replica
 * reads the same compacted topic, so each answers the same). Empty until one was read.
 */
public final class McpToolDirectory {
    private final AtomicReference<McpToolCatalog> latest = new AtomicReference<>();

    /** A record of the topic; null (a tombstone) forgets the catalog. */
    public void apply(McpToolCatalog catalog) {
        latest.set(catalog);
    }

    public Optional<McpToolCatalog> catalog() {
        return Optional.ofNullable(latest.get());
    }
}
