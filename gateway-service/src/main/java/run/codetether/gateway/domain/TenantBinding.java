package run.codetether.gateway.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one binding of clients to tenants (docs/a2a.md "Tenants"), from configuration: each client id lists the
 * tenants its API key or token may act in ({@code codetether.gateway.auth.tenants.<client-id>=acme,globex}, the
 * first is its default); admin clients may name any tenant; every other client is bound to tenant {@code default}.
 * {@link #bind} gives an authenticated caller its {@link TenantGrant}; the guard of every door does that, so a
 * caller never reaches a handler without one.
 */
public final class TenantBinding {
    /** No entries, no admins: every client is bound to tenant {@code default}. */
    public static final TenantBinding DEFAULT_ONLY = new TenantBinding(List.of(), Map.of());

    private final Set<String> admins;
    /** The entries as configured (cleaned), kept so a live source can be laid over them ({@link #overlaidWith}). */
    private final Map<String, List<String>> entries;
    private final Map<String, TenantGrant> grants;

    /**
     * @param admins client ids that may name any tenant
     * @param tenants the tenants of each client id, in order (the first is its default)
     * @throws IllegalArgumentException for an entry without a tenant
     */
    public TenantBinding(Collection<String> admins, Map<String, List<String>> tenants) {
        this.admins = Set.copyOf(admins.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        Map<String, TenantGrant> g = new LinkedHashMap<>();
        Map<String, List<String>> e = new LinkedHashMap<>();
        tenants.forEach((client, names) -> {
            List<String> clean = List.copyOf(new LinkedHashSet<>(names.stream().map(String::strip)
                    .filter(s -> !s.isEmpty()).toList()));
            if (clean.isEmpty()) {
                throw new IllegalArgumentException("tenants." + client + " lists no tenant: name at least one, or "
                        + "remove the entry (the client is then bound to tenant default)");
            }
            g.put(client, new TenantGrant(clean, this.admins.contains(client), true));
            e.put(client, clean);
        });
        this.grants = Map.copyOf(g);
        this.entries = Map.copyOf(e);
    }

    /**
     * This binding with a live source's entries laid over it (the gateway's tenant bindings file, docs/a2a.md
     * "Tenants"): its admin clients are added, and its entry of a client replaces this binding's entry of that
     * client; a client without an entry in the overlay keeps this binding's.
     *
     * @throws IllegalArgumentException for an overlay entry without a tenant
     */
    public TenantBinding overlaidWith(Collection<String> moreAdmins, Map<String, List<String>> overlay) {
        Set<String> allAdmins = new LinkedHashSet<>(admins);
        allAdmins.addAll(moreAdmins);
        Map<String, List<String>> all = new LinkedHashMap<>(entries);
        all.putAll(overlay);
        return new TenantBinding(allAdmins, all);
    }

    /** How many client ids have an entry or are admins (what a reload logs; client ids are not secrets). */
    public int clients() {
        Set<String> ids = new LinkedHashSet<>(entries.keySet());
        ids.addAll(admins);
        return ids.size();
    }

    /**
     * One binding from the auth settings and their older names under {@code codetether.gateway.stats} (which bound
     * keys for the spend figures only): admin clients of both; the tenants of a client named in both must be the
     * same list, else start-up fails with the client's id (two lists that disagree would leave it unclear which
     * one binds tasks).
     */
    public static TenantBinding merged(Collection<String> admins, Map<String, List<String>> tenants,
            Collection<String> olderAdmins, Map<String, List<String>> olderTenants) {
        Set<String> allAdmins = new LinkedHashSet<>(admins);
        allAdmins.addAll(olderAdmins);
        Map<String, List<String>> all = new LinkedHashMap<>(olderTenants);
        tenants.forEach((client, names) -> {
            List<String> older = all.put(client, names);
            if (older != null && !strip(older).equals(strip(names))) {
                throw new IllegalArgumentException("client " + client + " is bound to tenants " + strip(names)
                        + " by codetether.gateway.auth.tenants but to " + strip(older) + " by the older "
                        + "codetether.gateway.stats.tenants: keep one entry (auth.tenants)");
            }
        });
        return new TenantBinding(allAdmins, all);
    }

    private static List<String> strip(List<String> names) {
        return names.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** What a client id may use: its entry, any tenant for an admin, else tenant {@code default} only. */
    public TenantGrant grantOf(String clientId) {
        TenantGrant g = grants.get(clientId);
        if (g != null) {
            return g;
        }
        return admins.contains(clientId) ? TenantGrant.ADMIN : TenantGrant.DEFAULT_ONLY;
    }

    /** The authenticated caller with its grant. */
    public Caller bind(Caller caller) {
        return caller.withTenants(grantOf(caller.clientId()));
    }
}
