package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kind of a thought event. Wire form: snake_case. */
public enum ThoughtEventType {
    THOUGHT_GENERATED,
    HYPOTHESIS_RAISED,
    CHECK_REQUESTED,
    CHECK_RESULT,
    PROPOSAL_CREATED,
    PROPOSAL_VERIFIED,
    PROPOSAL_REJECTED,
    ACTION_EXECUTED,
    PERSONA_SPAWNED,
    PERSONA_REAPED,
    SNAPSHOT_COMPRESSED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; an unknown name fails with the valid ones. */
    @JsonCreator
    public static ThoughtEventType parse(String value) {
        for (ThoughtEventType v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ThoughtEventType '" + value + "'; valid: "
                + java.util.Arrays.stream(values()).map(ThoughtEventType::wire).toList());
    }
}
