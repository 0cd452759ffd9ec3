package run.codetether.contracts.approval;

import java.util.Locale;

/**
 * How much a task may do without asking (A2A {@code message.metadata.access_mode}, and a worker's
 * {@code --auto-approve}). Ordered from the most to the least permissive: where a task and a worker both say,
 * the stricter wins ({@link #stricter}).
 */
public enum AccessMode {
    /** Every call runs. */
    FULL("full"),
    /** Read-only calls run at once; a call that changes the workspace, runs a command, starts agents that act or
     * reaches the network waits for the client's approval. */
    APPROVE("approve"),
    /** As {@link #APPROVE}, and the agent's own state changes (todos, plan) are asked too: every mutating call. */
    ASK("ask");

    private final String wire;

    AccessMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** The stricter of two modes (null counts as absent). */
    public static AccessMode stricter(AccessMode a, AccessMode b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * Reads {@code full | approve | ask} (any case).
     *
     * @throws IllegalArgumentException naming the accepted values, for anything else
     */
    public static AccessMode parse(Object value) {
        if (value instanceof String s) {
            for (AccessMode m : values()) {
                if (m.wire.equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("access_mode must be one of full, approve, ask (got " + value + ")");
    }

    /**
     * A worker's {@code --auto-approve}: {@code all} = {@link #FULL}, {@code safe} = {@link #APPROVE} (the read-only,
     * safe calls are approved automatically), {@code none} = {@link #ASK}.
     *
     * @throws IllegalArgumentException naming the accepted values, for anything else
     */
    public static AccessMode fromAutoApprove(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "all" -> FULL;
            case "safe" -> APPROVE;
            case "none" -> ASK;
            default -> throw new IllegalArgumentException("--auto-approve must be one of none, safe, all (got "
                    + value + ")");
        };
    }

    /** The {@code --auto-approve} spelling of this mode. */
    public String autoApprove() {
        return switch (this) {
            case FULL -> "all";
            case APPROVE -> "safe";
            case ASK -> "none";
        };
    }
}
