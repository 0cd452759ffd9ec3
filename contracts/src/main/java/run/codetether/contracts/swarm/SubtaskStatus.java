package run.codetether.contracts.swarm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of one subtask inside a swarm. */
public enum SubtaskStatus {
    /** Waiting for its dependencies or a free slot. */
    PENDING,
    /** Published to {@code tasks.requested}; a worker runs it. */
    DISPATCHED,
    /** Finished with a result that passed validation. */
    COMPLETED,
    /** Failed and out of retries. */
    FAILED,
    /** Not run because a dependency failed or the swarm was canceled. */
    SKIPPED;

    public boolean isDone() {
        return this == COMPLETED || this == FAILED || this == SKIPPED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SubtaskStatus parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
