package run.codetether.agent.infra.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads from the first source that has the provider's secret and caches it for {@code ttl}, so a rotated key is
 * picked up within the TTL, or at once when the provider rejects the old key ({@link #invalidate}).
 */
public final class CachingSecretSource implements SecretSource {
    private record Entry(Optional<Map<String, String>> value, Instant at) {}

    private final List<SecretSource> sources;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public CachingSecretSource(List<SecretSource> sources, Duration ttl, Clock clock) {
        this.sources = List.copyOf(sources);
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<Map<String, String>> read(String provider) {
        Entry e = cache.get(provider);
        if (e != null && e.at().plus(ttl).isAfter(clock.instant())) {
            return e.value();
        }
        Optional<Map<String, String>> found = Optional.empty();
        for (SecretSource s : sources) {
            found = s.read(provider);
            if (found.isPresent()) {
                break;
            }
        }
        cache.put(provider, new Entry(found, clock.instant()));
        return found;
    }

    @Override
    public void invalidate(String provider) {
        cache.remove(provider);
        sources.forEach(s -> s.invalidate(provider));
    }

    @Override
    public String describe() {
        return String.join(" or ", sources.stream().map(SecretSource::describe).toList());
    }
}
