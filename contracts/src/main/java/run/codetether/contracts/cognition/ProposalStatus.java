package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of a proposal. Wire form: snake_case. */
public enum ProposalStatus {
    CREATED,
    VERIFIED,
    REJECTED,
    EXECUTED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; an unknown name fails with the valid ones. */
    @JsonCreator
    public static ProposalStatus parse(String value) {
        for (ProposalStatus v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ProposalStatus '" + value + "'; valid: "
                + java.util.Arrays.stream(values()).map(ProposalStatus::wire).toList());
    }
}
