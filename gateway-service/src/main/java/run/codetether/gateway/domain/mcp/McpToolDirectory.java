package run.codetether.gateway.domain.mcp;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import run.codetether.contracts.mcp.McpToolCatalog;

/**
 * The latest catalog of the configured MCP servers' tools an agent-service replica published (every gateway replica
 * reads the same compacted topic, so each answers the same). Empty until one was read. While its reader has not
 * read what the topic held ({@link #reading}), {@link #notReadYet} says so: an empty answer then would say "no
 * catalog published" where one may be.
 */
public final class McpToolDirectory {
    private final AtomicReference<McpToolCatalog> latest = new AtomicReference<>();
    private volatile String reading;

    /** A record of the topic; null (a tombstone) forgets the catalog. */
    public void apply(McpToolCatalog catalog) {
        latest.set(catalog);
    }

    public Optional<McpToolCatalog> catalog() {
        return Optional.ofNullable(latest.get());
    }

    /** Its reader is starting: {@code why} says what it does, until {@link #read}. */
    public void reading(String why) {
        reading = why;
    }

    /** Its reader's start is done (what the topic held was read, or its catch-up time passed, as logged). */
    public void read() {
        reading = null;
    }

    /** Why the catalog cannot be answered yet, or empty. */
    public Optional<String> notReadYet() {
        return Optional.ofNullable(reading);
    }
}
