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

    /** Sentences about the requests of {@code events} at or after {@code epochMs} that did not get out (the last 20). */
    public static java.util.List<String> notAllowedSince(java.util.List<EgressEvent> events, long epochMs) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (EgressEvent e : events) {
            if (e.atEpochMs() >= epochMs && !e.outcome().equals(ALLOWED)) {
                out.add(e.method() + " " + e.host() + ":" + e.port() + " " + e.outcome() + ": " + e.message());
            }
        }
        return out.size() > 20 ? out.subList(out.size() - 20, out.size()) : out;
    }
}
