package run.codetether.gateway.domain;

/**
 * Who is calling, as established by authentication. Tasks are visible to the client that created them; when the
 * operator runs the gateway open, every caller is {@link #ANONYMOUS} and sees every task.
 */
public record Caller(String clientId) {
    public static final Caller ANONYMOUS = new Caller("anonymous");

    public Caller {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("caller needs a client id");
        }
    }
}
