package run.codetether.gateway.domain.stats;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import run.codetether.gateway.domain.Caller;

/**
 * Which tenants' spend a caller may read: every tenant for an admin client and for the anonymous caller of a gateway
 * run open (it sees every task too); the configured tenants of its client id; else tenant {@code default} only.
 */
public final class StatsAccess {
    /** The tenant of tasks submitted without one (as the agent's budgets name it). */
    public static final String DEFAULT_TENANT = "default";

    private final Set<String> admins;
    private final Map<String, Set<String>> tenants;

    public StatsAccess(List<String> admins, Map<String, List<String>> tenants) {
        this.admins = Set.copyOf(admins);
        this.tenants = tenants.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, e -> Set.copyOf(e.getValue().stream().map(String::strip)
                        .filter(s -> !s.isEmpty()).toList())));
    }

    /** Empty when the caller may read every tenant; else the tenants it may read. */
    public Optional<Set<String>> readable(Caller caller) {
        if (caller.equals(Caller.ANONYMOUS) || admins.contains(caller.clientId())) {
            return Optional.empty();
        }
        return Optional.of(tenants.getOrDefault(caller.clientId(), Set.of(DEFAULT_TENANT)));
    }

    public boolean mayRead(Caller caller, String tenant) {
        return readable(caller).map(s -> s.contains(tenant)).orElse(true);
    }
}
