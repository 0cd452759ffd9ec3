package run.codetether.gateway.domain;

import java.util.Map;
import run.codetether.contracts.a2a.Message;

/**
 * Where a message goes: the skill (message or request metadata {@code skill}) picks the worker pool, and
 * {@code provider} / {@code model} pick the LLM. Message metadata wins over request metadata.
 */
public record Routing(String skill, String provider, String model) {
    public static final String SWARM = "swarm";

    public static Routing of(Message message, Map<String, Object> requestMetadata) {
        return new Routing(
                pick("skill", message.metadata(), requestMetadata),
                pick("provider", message.metadata(), requestMetadata),
                pick("model", message.metadata(), requestMetadata));
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
