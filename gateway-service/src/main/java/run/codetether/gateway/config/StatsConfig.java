package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/stats}, prefix {@code codetether.gateway.stats}. Which tenants' spend a key may read is its tenant
 * binding ({@code codetether.gateway.auth.tenants.*}, {@code auth.admin-clients}: docs/a2a.md "Tenants");
 * {@code tenants} and {@code admin-clients} here are the older names of the same settings, merged into that one
 * binding (a client bound differently by both fails the start).
 */
@ConfigMapping(prefix = "codetether.gateway.stats")
public interface StatsConfig {

    /** Older name of {@code codetether.gateway.auth.admin-clients}; default none. */
    Optional<List<String>> adminClients();

    /** Older name of {@code codetether.gateway.auth.tenants.<client-id>} (the same binding); default no entries. */
    Map<String, List<String>> tenants();

    /** Longest range of days one query may ask for; default 366. */
    @WithDefault("366")
    int maxDays();
}
