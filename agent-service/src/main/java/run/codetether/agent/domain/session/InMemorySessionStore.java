package run.codetether.agent.domain.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import run.codetether.agent.domain.port.SessionStore;
import run.codetether.platform.json.Json;

/**
 * Sessions in this JVM only (single-replica runs, tests, benchmarks). Stores JSON copies, so a caller never
 * shares mutable state with the store, exactly as with the Kafka store. Thread-safe.
 */
public final class InMemorySessionStore implements SessionStore {
    /** The mapper of the Kafka store's {@code SessionCodec}, so both stores keep exactly the same. */
    private static final ObjectMapper JSON = Json.mapper();
    private final Map<String, byte[]> sessions = new ConcurrentHashMap<>();

    @Override
    public Optional<Session> load(String contextId) {
        byte[] b = sessions.get(contextId);
        return b == null ? Optional.empty() : Optional.of(decode(b));
    }

    @Override
    public void save(Session session) {
        try {
            sessions.put(session.contextId, JSON.writeValueAsBytes(session));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode session " + session.contextId, e);
        }
    }

    @Override
    public List<Session> list() {
        return sessions.values().stream().map(InMemorySessionStore::decode).toList();
    }

    private static Session decode(byte[] b) {
        try {
            return JSON.readValue(b, Session.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored session is unreadable", e);
        }
    }
}
