package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a persona. Wire form: snake_case. */
public enum PersonaStatus {
    ACTIVE,
    IDLE,
    REAPED,
    ERROR;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; an unknown name fails with the valid ones. */
    @JsonCreator
    public static PersonaStatus parse(String value) {
        for (PersonaStatus v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown PersonaStatus '" + value + "'; valid: "
                + java.util.Arrays.stream(values()).map(PersonaStatus::wire).toList());
    }
}
