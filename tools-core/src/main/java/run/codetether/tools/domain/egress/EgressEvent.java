package run.codetether.tools.domain.egress;

/**
 * One request of a session's sandbox through the egress proxy. {@code outcome}: allowed (connected; bytes counted
 * until the connection closed), refused (never connected; {@code reason} is the stable word, {@code message} the
 * sentence for humans), failed (allowed, but the destination could not be reached).
 */
public record EgressEvent(String sessionId, long atEpochMs, String method, String host, int port, String outcome,
        String reason, String message, String address, long bytesUp, long bytesDown) {

    public static final String ALLOWED = "allowed";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";

    public boolean refused() {
        return REFUSED.equals(outcome);
    }
}
