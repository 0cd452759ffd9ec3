package run.codetether.gateway.domain;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * Where a message goes: the skill (message or request metadata {@code skill}) picks the worker pool, and
 * {@code provider} / {@code model} pick the LLM. Message metadata wins over request metadata. A swarm job also
 * reads {@code strategy} (auto, domain, data, stage, none) and {@code max_concurrency} (1..256; the older
 * {@code maxConcurrency} spelling is accepted), checked here so a bad value is refused before anything is written.
 * The keys are {@link MetadataKeys}.
 */
public record Routing(String skill, String provider, String model, SwarmStrategy strategy, int maxConcurrency) {
    public static final String SWARM = "swarm";

    public static Routing of(Message message, Map<String, Object> requestMetadata) {
        String skill = skill(message, requestMetadata);
        SwarmStrategy strategy = null;
        int maxConcurrency = 0;
        if (SWARM.equals(skill)) {
            if (message.text().isBlank()) {
                throw A2AException.invalidParams("a swarm message needs a text part: it is the swarm's goal");
            }
            try {
                strategy = SwarmStrategy.parse(pick(MetadataKeys.STRATEGY, message.metadata(), requestMetadata));
            } catch (IllegalArgumentException e) {
                throw A2AException.invalidParams("metadata.strategy: " + e.getMessage());
            }
            Object limit = first(MetadataKeys.MAX_CONCURRENCY, MetadataKeys.MAX_CONCURRENCY_ALIAS, message.metadata(),
                    requestMetadata);
            if (limit != null) {
                if (!(limit instanceof Number n) || n.intValue() != n.doubleValue() || n.intValue() < 1
                        || n.intValue() > 256) {
                    throw A2AException.invalidParams("metadata." + MetadataKeys.MAX_CONCURRENCY
                            + " must be an integer within 1..256");
                }
                maxConcurrency = n.intValue();
            }
        }
        return new Routing(skill, pick(MetadataKeys.PROVIDER, message.metadata(), requestMetadata),
                pick(MetadataKeys.MODEL, message.metadata(), requestMetadata), strategy, maxConcurrency);
    }

    /** The skill a message asks for (message metadata wins over request metadata), or null for none. */
    public static String skill(Message message, Map<String, Object> requestMetadata) {
        return pick(MetadataKeys.SKILL, message.metadata(), requestMetadata);
    }

    public boolean isSwarm() {
        return SWARM.equals(skill);
    }

    /** The value under {@code key} or its {@code alias}, message metadata first. */
    private static Object first(String key, String alias, Map<String, Object> message, Map<String, Object> request) {
        for (Map<String, Object> m : List.of(message, request)) {
            Object v = m.get(key);
            if (v == null) {
                v = m.get(alias);
            }
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static String pick(String key, Map<String, Object> first, Map<String, Object> second) {
        Object v = first.get(key);
        if (v == null) {
            v = second.get(key);
        }
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw A2AException.invalidParams("metadata." + key + " must be a non-empty string");
        }
        return s;
    }
}
