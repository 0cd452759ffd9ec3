package run.codetether.gateway.domain.dashboard;

import run.codetether.gateway.domain.Caller;

/**
 * Which summaries a dashboard caller sees: its own tasks (a swarm's sub-agents count as the swarm owner's) and, for a
 * key the binding names, every task of its tenants (an admin key: every task), within
 * the tenant it named and the tenants its key is bound to. Stricter than a task's own visibility in one case: a sub-agent whose swarm is not known yet
 * has no owner and is shown only on a gateway that runs open.
 */
public final class Access {
    private Access() {}

    public static boolean visible(TaskSummary s, Caller caller, String tenant) {
        if (tenant != null && !tenant.isEmpty() && !tenant.equals(s.tenant())) {
            return false;
        }
        if (!caller.tenants().mayUse(s.tenant())) {
            return false;
        }
        return caller.equals(Caller.ANONYMOUS) || caller.clientId().equals(s.owner())
                // a sub-agent whose swarm is not known yet has no owner: hidden from keys (see above)
                || (s.owner() != null && caller.tenants().sharesTasksOf(s.tenant()));
    }
}
