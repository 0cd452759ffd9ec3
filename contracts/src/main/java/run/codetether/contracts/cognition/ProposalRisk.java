package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Risk of a proposal. Wire form: snake_case. */
public enum ProposalRisk {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; an unknown name fails with the valid ones. */
    @JsonCreator
    public static ProposalRisk parse(String value) {
        for (ProposalRisk v : values()) {
            if (v.wire().equals(value)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown ProposalRisk '" + value + "'; valid: "
                + java.util.Arrays.stream(values()).map(ProposalRisk::wire).toList());
    }
}
