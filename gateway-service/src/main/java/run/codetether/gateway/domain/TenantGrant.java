package run.codetether.gateway.domain;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tenants one caller may act in (docs/a2a.md "Tenants"): the tenants its client id is bound to, or any tenant
 * (an admin client, the anonymous caller of a gateway run open). Every door asks the caller's grant: task
 * submission and reads, push configs, the MCP server, the MCP tool catalog, the dashboard and {@code GET /v1/stats}.
 *
 * @param tenants the bound tenants in configured order (the first is the tenant of a new task that names none);
 *     may be empty only when {@code any}
 * @param any whether the caller may name every tenant
 * @param bound whether the grant comes from an entry of the binding ({@code auth.tenants.<client-id>} or
 *     {@code auth.admin-clients}): such a key shares the tasks of its named tenants with the other keys bound to
 *     them, an admin reads every task ({@link #sharesTasksOf}); a key without an entry and the anonymous caller are
 *     not bound
 */
public record TenantGrant(List<String> tenants, boolean any, boolean bound) {
    /** The tenant of tasks submitted without one (as the agent's budgets and the spend figures name it). */
    public static final String DEFAULT_TENANT = "default";
    /** An admin client without tenants of its own, and the anonymous caller of an open gateway. */
    public static final TenantGrant ANY = new TenantGrant(List.of(), true, false);
    /** An admin client ({@code auth.admin-clients}) without tenants of its own: any tenant, every task. */
    public static final TenantGrant ADMIN = new TenantGrant(List.of(), true, true);
    /** A client without an entry: tenant {@code default} only. */
    public static final TenantGrant DEFAULT_ONLY = new TenantGrant(List.of(DEFAULT_TENANT), false, false);

    public TenantGrant {
        tenants = List.copyOf(tenants);
        if (!any && tenants.isEmpty()) {
            throw new IllegalArgumentException("a caller bound to tenants needs at least one");
        }
    }

    /** A grant not from an entry of the binding (tests, code that calls the engine directly). */
    public TenantGrant(List<String> tenants, boolean any) {
        this(tenants, any, false);
    }

    /**
     * Whether the caller sees the tasks of other keys in this tenant: a task in a named tenant belongs to the tenant,
     * so every key the binding names for it reads it; an admin key reads every task. Tenant {@code default} is not
     * shared: it is the tenant of every key without an entry, keys that never asked to share a tenant, so each of
     * them (and a key bound to {@code default} too) sees only its own tasks there.
     */
    public boolean sharesTasksOf(String tenant) {
        if (!bound) {
            return false;
        }
        return any || (!DEFAULT_TENANT.equals(tenantOf(tenant)) && tenants.contains(tenantOf(tenant)));
    }

    /** The tenant a task is in: its own, or {@code default} for a task submitted without one. */
    public static String tenantOf(String tenant) {
        return tenant == null || tenant.isBlank() ? DEFAULT_TENANT : tenant;
    }

    /** Whether the caller may name this tenant, or see a task in it (null or blank: tenant default). */
    public boolean mayUse(String tenant) {
        return any || tenants.contains(tenantOf(tenant));
    }

    /**
     * The tenant a new task goes to when its request names none: the first bound tenant, or null for tenant
     * {@code default} (a task without a tenant on the wire, as before tenants were bound) and for a caller of every
     * tenant without tenants of its own.
     */
    public String defaultTenant() {
        String first = tenants.isEmpty() ? null : tenants.get(0);
        return DEFAULT_TENANT.equals(first) ? null : first;
    }

    /** Empty when the caller may read every tenant; else the tenants it may read. */
    public Optional<Set<String>> readable() {
        return any ? Optional.empty() : Optional.of(Set.copyOf(tenants));
    }

    /** How a refusal names what the caller may use (its own tenants only: nothing about other clients). */
    public String describe() {
        return any ? "any tenant" : "tenant" + (tenants.size() == 1 ? " " : "s ") + String.join(", ", tenants);
    }
}
