package run.codetether.contracts.swarm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a swarm goal is split into subtasks, as in the original's {@code --strategy}. */
public enum SwarmStrategy {
    /** The decomposer picks the split. */
    AUTO,
    /** One subtask per domain or concern (e.g. backend, frontend, tests). */
    DOMAIN,
    /** One subtask per slice of the data (files, modules, records). */
    DATA,
    /** Sequential stages whose later subtasks depend on earlier ones. */
    STAGE,
    /** No split: the goal runs as one subtask. */
    NONE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; unknown names fail with the list of valid ones. */
    @JsonCreator
    public static SwarmStrategy parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        for (SwarmStrategy s : values()) {
            if (s.wire().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown swarm strategy '" + value + "' (auto, domain, data, stage, none)");
    }
}
