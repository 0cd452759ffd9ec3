package run.codetether.gateway.domain;

/**
 * Who is calling, as established by authentication, and the tenants it may act in. Tasks are visible to the client
 * that created them and, in a named tenant, to every key bound to it ({@link TenantGrant#sharesTasksOf}), within the
 * tenants its key is bound to; when the operator runs the gateway open, every caller is {@link #ANONYMOUS}, sees
 * every task and may name any tenant.
 *
 * <p>Two callers are equal when their client ids are: the grant is derived from the client id by configuration
 * ({@link TenantBinding}), not a part of the identity.
 *
 * @param tenants what the caller may use; every admitted caller got its grant from the {@link TenantBinding}
 */
public record Caller(String clientId, TenantGrant tenants) {
    public static final Caller ANONYMOUS = new Caller("anonymous", TenantGrant.ANY);

    public Caller {
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("caller needs a client id");
        }
        if (tenants == null) {
            throw new IllegalArgumentException("caller " + clientId + " needs its tenant grant");
        }
    }

    /**
     * An identity as a credential names it, before the gateway's binding applies (the guard binds every caller it
     * admits); may use any tenant, for tests and code that calls the engine directly.
     */
    public Caller(String clientId) {
        this(clientId, TenantGrant.ANY);
    }

    public Caller withTenants(TenantGrant grant) {
        return new Caller(clientId, grant);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Caller c && c.clientId.equals(clientId);
    }

    @Override
    public int hashCode() {
        return clientId.hashCode();
    }
}
