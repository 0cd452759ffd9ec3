package run.codetether.gateway.domain;

/**
 * Parameters of an operation that may name an A2A 1.0 tenant. The tenant decorator fills in the tenant a binding
 * learned outside the parameters (the HTTP+JSON path prefix) through {@link #withTenant}.
 *
 * @param <P> the parameter record itself
 */
public interface TenantScoped<P extends TenantScoped<P>> {

    /** The tenant the client named, or null. */
    String tenant();

    P withTenant(String tenant);
}
