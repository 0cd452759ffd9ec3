package run.codetether.gateway.domain;

import java.util.Map;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.swarm.SwarmStrategy;

/**
 * Where a message goes: the skill (message or request metadata {@code skill}) picks the worker pool, and
 * {@code provider} / {@code model} pick the LLM. Message metadata wins over request metadata. A swarm job also
 * reads {@code strategy} (auto, domain, data, stage, none) and {@code maxConcurrency} (1..256), checked here so a
 * bad value is refused before anything is written.
 */
public record Routing(String skill, String provider, String model, SwarmStrategy strategy, int maxConcurrency) {
    public static final String SWARM = "swarm";

    public static Routing of(Message message, Map<String, Object> requestMetadata) {
        String skill = pick("skill", message.metadata(), requestMetadata);
        SwarmStrategy strategy = null;
        int maxConcurrency = 0;
        if (SWARM.equals(skill)) {
            if (message.text().isBlank()) {
                throw A2AException.invalidParams("a swarm message needs a text part: it is the swarm's goal");
            }
            try {
                strategy = SwarmStrategy.parse(pick("strategy", message.metadata(), requestMetadata));
            } catch (IllegalArgumentException e) {
                throw A2AException.invalidParams("metadata.strategy: " + e.getMessage());
            }
            Object limit = message.metadata().getOrDefault("maxConcurrency", requestMetadata.get("maxConcurrency"));
            if (limit != null) {
                if (!(limit instanceof Number n) || n.intValue() != n.doubleValue() || n.intValue() < 1 || n.intValue() > 256) {
                    throw A2AException.invalidParams("metadata.maxConcurrency must be an integer within 1..256");
                }
                maxConcurrency = n.intValue();
            }
        }
        return new Routing(skill, pick("provider", message.metadata(), requestMetadata),
                pick("model", message.metadata(), requestMetadata), strategy, maxConcurrency);
    }

    /** The skill a message asks for (message metadata wins over request metadata), or null for none. */
    public static String skill(Message message, Map<String, Object> requestMetadata) {
        return pick("skill", message.metadata(), requestMetadata);
    }

    public boolean isSwarm() {
        return SWARM.equals(skill);
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
