package run.codetether.gateway.domain;

import java.time.Instant;
import run.codetether.contracts.a2a.TaskState;

/**
 * ListTasks filters and paging (A2A 1.0 3.1.4).
 *
 * @param pageToken opaque cursor from a previous page, or null
 */
public record ListQuery(
        String tenant,
        String contextId,
        TaskState status,
        int pageSize,
        String pageToken,
        Integer historyLength,
        Instant statusTimestampAfter,
        boolean includeArtifacts) implements TenantScoped<ListQuery> {
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;

    public ListQuery {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw A2AException.invalidParams("pageSize must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (historyLength != null && historyLength < 0) {
            throw A2AException.invalidParams("historyLength must not be negative");
        }
    }

    @Override
    public ListQuery withTenant(String newTenant) {
        return new ListQuery(newTenant, contextId, status, pageSize, pageToken, historyLength, statusTimestampAfter,
                includeArtifacts);
    }
}
