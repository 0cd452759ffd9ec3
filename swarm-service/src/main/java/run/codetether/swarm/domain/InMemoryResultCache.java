package run.codetether.swarm.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Bounded LRU cache; thread-safe. The Kafka adapter fills it from every {@code swarm.state} record, so all replicas
 * share what any swarm has computed.
 */
public final class InMemoryResultCache implements ResultCache {
    private final Map<String, String> entries;

    public InMemoryResultCache(int maxEntries) {
        this.entries = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > maxEntries;
            }
        };
    }

    @Override
    public synchronized Optional<String> get(String contentHash) {
        return Optional.ofNullable(entries.get(contentHash));
    }

    @Override
    public synchronized void put(String contentHash, String result) {
        entries.put(contentHash, result);
    }
}
