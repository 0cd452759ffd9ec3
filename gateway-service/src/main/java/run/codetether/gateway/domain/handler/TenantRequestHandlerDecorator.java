package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.SendRequest;
import run.codetether.gateway.domain.TenantScoped;

/**
 * One tenant per call, and only one the caller's key is bound to (docs/a2a.md "Tenants"):
 * <ul>
 *   <li>a tenant the binding learned outside the parameters (the HTTP+JSON {@code /{tenant}/...} prefix) goes into
 *   the parameters, where the core reads it; a different tenant in the parameters is INVALID_PARAMS, never
 *   silently replaced;</li>
 *   <li>a named tenant outside the caller's {@link run.codetether.gateway.domain.TenantGrant} is PERMISSION_DENIED
 *   before the core runs, whatever the operation (so nothing is written and no budget is spent; the refusal does
 *   not depend on the task, so it tells nothing about other tenants' tasks);</li>
 *   <li>a message that starts a task and names no tenant goes to the caller's default tenant (a follow-up message
 *   stays in its task's tenant); reads that name none see the caller's tasks in all its tenants.</li>
 * </ul>
 * Runs behind admission: the context has its caller.
 */
public final class TenantRequestHandlerDecorator extends ForwardingRequestHandler {

    public TenantRequestHandlerDecorator(A2ARequestHandler delegate) {
        super(delegate);
    }

    @Override
    protected <P extends TenantScoped<P>> P params(P params, CallContext context) {
        P merged = merged(params, context.tenant());
        Caller caller = context.requireCaller();
        String named = merged.tenant();
        if (named != null && !named.isEmpty()) {
            if (!caller.tenants().mayUse(named)) {
                throw A2AException.tenantNotBound(caller, named);
            }
            return merged;
        }
        if (merged instanceof SendRequest send && !send.continuesTask()) {
            String tenant = caller.tenants().defaultTenant();
            return tenant == null ? merged : merged.withTenant(tenant);
        }
        return merged;
    }

    private static <P extends TenantScoped<P>> P merged(P params, String outside) {
        if (outside == null || outside.isEmpty()) {
            return params;
        }
        String inside = params.tenant();
        if (inside != null && !inside.isEmpty() && !inside.equals(outside)) {
            throw A2AException.invalidParams("tenant " + inside + " in the request does not match the path's "
                    + outside);
        }
        return params.withTenant(outside);
    }
}
