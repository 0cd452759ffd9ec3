package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TenantScoped;

/**
 * GetTask parameters.
 *
 * @param historyLength how many of the latest messages the answer carries (null: all, 0: none)
 * @param tenant A2A 1.0 tenant, or null
 */
public record TaskQuery(String id, Integer historyLength, String tenant) implements TenantScoped<TaskQuery> {
    public TaskQuery {
        TaskRef.requireId(id, "id");
        if (historyLength != null && historyLength < 0) {
            throw A2AException.invalidParams("historyLength must not be negative");
        }
    }

    @Override
    public TaskQuery withTenant(String newTenant) {
        return new TaskQuery(id, historyLength, newTenant);
    }
}
