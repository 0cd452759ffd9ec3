package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may read which tenants' spend at {@code GET /v1/stats}, prefix {@code codetether.gateway.stats}. A tenant is
 * the name a client gives its tasks (A2A {@code tenant}; {@code default} without one); keys are not bound to tenants
 * for tasks, so which tenants' spend a key may read is configured here.
 */
@ConfigMapping(prefix = "codetether.gateway.stats")
public interface StatsConfig {

    /** Client ids (of API keys or tokens) that may read every tenant's spend; default none. */
    Optional<List<String>> adminClients();

    /**
     * The tenants each client may read ({@code tenants.<client-id>=acme,globex}); a client without an entry reads
     * tenant {@code default} only; default no entries.
     */
    Map<String, List<String>> tenants();

    /** Longest range of days one query may ask for; default 366. */
    @WithDefault("366")
    int maxDays();
}
