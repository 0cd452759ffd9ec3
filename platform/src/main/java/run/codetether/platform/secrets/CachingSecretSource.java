package run.codetether.platform.secrets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads from the first source that has the secret (Vault before the file) and caches the answer, found or not, for
 * {@code ttl}: a rotated key is picked up within the TTL, or at once after {@link #invalidate} (a provider rejected
 * the old key). A source that fails ({@link SecretException}) is not cached, so the next call tries again.
 */
public final class CachingSecretSource implements SecretSource {
    private record Entry(Optional<Secret> value, Instant at) {}

    private final List<SecretSource> sources;
    private final Duration ttl;
    private final Clock clock;
    private final Map<SecretName, Entry> cache = new ConcurrentHashMap<>();

    public CachingSecretSource(List<SecretSource> sources, Duration ttl, Clock clock) {
        this.sources = List.copyOf(sources);
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Optional<Secret> read(SecretName name) {
        Entry e = cache.get(name);
        if (e != null && e.at().plus(ttl).isAfter(clock.instant())) {
            return e.value();
        }
        Optional<Secret> found = Optional.empty();
        for (SecretSource s : sources) {
            found = s.read(name);
            if (found.isPresent()) {
                break;
            }
        }
        cache.put(name, new Entry(found, clock.instant()));
        return found;
    }

    @Override
    public void invalidate(SecretName name) {
        cache.remove(name);
        sources.forEach(s -> s.invalidate(name));
    }

    @Override
    public String describe() {
        return String.join(" or ", sources.stream().map(SecretSource::describe).toList());
    }
}
