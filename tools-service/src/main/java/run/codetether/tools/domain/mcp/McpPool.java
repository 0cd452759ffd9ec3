package run.codetether.tools.domain.mcp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.jboss.logging.Logger;
import run.codetether.tools.domain.ToolException;

/**
 * MCP servers per session, started lazily on first use and reused by later calls of the same session. A server whose
 * spec changed, that died or that was closed after a hang is replaced on next use; servers idle longer than the idle
 * timeout (and with no call in flight) are closed by {@link #reapIdle}; {@link #closeSession} closes a session's
 * servers. Starting a server holds only that server's lock (other servers and sessions go on meanwhile); the map is
 * never locked around a start or a call.
 */
public final class McpPool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpPool.class);

    private record Key(String session, String server) {}

    /** One pooled server: the spec it was started with, its connection (null until started) and its use. */
    private static final class Entry {
        final McpServerSpec spec;
        final ReentrantLock lock = new ReentrantLock();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile McpConnection connection;
        volatile long lastUsedMs;
        volatile boolean retired;

        Entry(McpServerSpec spec, long now) {
            this.spec = spec;
            this.lastUsedMs = now;
        }
    }

    private final McpConnector connector;
    private final Clock clock;
    private final Duration idleTimeout;
    private final int maxPerSession;
    private final int maxTotal;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    public McpPool(McpConnector connector, Clock clock, Duration idleTimeout, int maxPerSession, int maxTotal) {
        this.connector = connector;
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxPerSession = maxPerSession;
        this.maxTotal = maxTotal;
    }

    /**
     * Runs {@code work} on the session's connection to {@code spec}, starting the server first when needed (within
     * {@code startTimeout}).
     */
    public <T> T use(String sessionId, McpServerSpec spec, Duration startTimeout, Function<McpConnection, T> work) {
        Entry e = reserve(sessionId, spec);
        try {
            return work.apply(connection(sessionId, e, startTimeout));
        } finally {
            e.lastUsedMs = clock.millis();
            e.inFlight.decrementAndGet();
        }
    }

    private Entry reserve(String sessionId, McpServerSpec spec) {
        Key key = new Key(sessionId, spec.name());
        List<McpConnection> replaced = new ArrayList<>();
        Entry e = entries.compute(key, (k, old) -> {
            if (old != null && old.spec.equals(spec)) {
                old.inFlight.incrementAndGet();
                return old;
            }
            if (old == null) {
                checkLimits(sessionId);
            } else {
                // the caller's configuration changed: the old server goes, the new one starts on demand
                old.retired = true;
                if (old.connection != null) {
                    replaced.add(old.connection);
                }
            }
            Entry fresh = new Entry(spec, clock.millis());
            fresh.inFlight.incrementAndGet();
            return fresh;
        });
        replaced.forEach(McpPool::closeQuietly);
        return e;
    }

    private void checkLimits(String sessionId) {
        long inSession = entries.keySet().stream().filter(k -> k.session().equals(sessionId)).count();
        if (inSession >= maxPerSession) {
            throw new ToolException(ToolException.Code.TOO_LARGE, "this session already uses " + inSession
                    + " MCP servers, the most allowed (codetether.tools.mcp.max-servers-per-session)");
        }
        if (entries.size() >= maxTotal) {
            throw new ToolException(ToolException.Code.UNAVAILABLE, "tools-service runs " + entries.size() + " MCP"
                    + " servers, the most allowed (codetether.tools.mcp.max-servers); try again when sessions end");
        }
    }

    private McpConnection connection(String sessionId, Entry e, Duration startTimeout) {
        McpConnection c = e.connection;
        if (c != null && c.alive()) {
            return c;
        }
        boolean locked;
        try {
            locked = e.lock.tryLock(startTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new ToolException(ToolException.Code.UNAVAILABLE, "interrupted while MCP server '" + e.spec.name()
                    + "' was starting");
        }
        if (!locked) {
            throw new ToolException(ToolException.Code.TIMEOUT, "MCP server '" + e.spec.name() + "' did not finish"
                    + " starting within " + startTimeout.toMillis() + " ms (another call is starting it)");
        }
        try {
            c = e.connection;
            if (c != null && c.alive()) {
                return c;
            }
            if (c != null) {
                LOG.infof("MCP server %s of session %s is gone; starting it again", e.spec.name(), sessionId);
                closeQuietly(c);
            }
            c = connector.connect(sessionId, e.spec, startTimeout);
            if (e.retired) {
                closeQuietly(c);
                throw new ToolException(ToolException.Code.UNAVAILABLE, "MCP server '" + e.spec.name() + "' was"
                        + " reconfigured or its session closed while it started");
            }
            e.connection = c;
            return c;
        } finally {
            e.lock.unlock();
        }
    }

    /** Closes servers idle longer than the idle timeout with no call in flight; returns how many it closed. */
    public int reapIdle() {
        long now = clock.millis();
        int closed = 0;
        for (var it : entries.entrySet()) {
            Entry e = it.getValue();
            if (e.inFlight.get() == 0 && now - e.lastUsedMs >= idleTimeout.toMillis()
                    && entries.remove(it.getKey(), e)) {
                e.retired = true;
                if (e.connection != null) {
                    LOG.debugf("closing idle MCP server %s of session %s", it.getKey().server(), it.getKey().session());
                    closeQuietly(e.connection);
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Closes every server of the session (calls in flight on them fail with the server's closed error). */
    public int closeSession(String sessionId) {
        int closed = 0;
        for (var it : entries.entrySet()) {
            if (it.getKey().session().equals(sessionId) && entries.remove(it.getKey(), it.getValue())) {
                it.getValue().retired = true;
                if (it.getValue().connection != null) {
                    closeQuietly(it.getValue().connection);
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Servers pooled now (started or starting). */
    public int size() {
        return entries.size();
    }

    @Override
    public void close() {
        for (Key k : List.copyOf(entries.keySet())) {
            closeSession(k.session());
        }
    }

    private static void closeQuietly(McpConnection c) {
        try {
            c.close();
        } catch (RuntimeException ex) {
            LOG.debugf("closing an MCP connection: %s", ex.toString());
        }
    }
}
