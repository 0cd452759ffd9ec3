package run.codetether.contracts.swarm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a swarm as its coordinator sees it. */
public enum SwarmPhase {
    PLANNING,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELED;

    public boolean isFinished() {
        return this == COMPLETED || this == FAILED || this == CANCELED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SwarmPhase parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
