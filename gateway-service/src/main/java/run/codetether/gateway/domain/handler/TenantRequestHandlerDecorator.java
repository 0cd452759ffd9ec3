package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.TenantScoped;

/**
 * One tenant per call: a tenant the binding learned outside the parameters (the HTTP+JSON {@code /{tenant}/...}
 * prefix) goes into the parameters, where the core reads it; a different tenant in the parameters is
 * INVALID_PARAMS, never silently replaced.
 */
public final class TenantRequestHandlerDecorator extends ForwardingRequestHandler {

    public TenantRequestHandlerDecorator(A2ARequestHandler delegate) {
        super(delegate);
    }

    @Override
    protected <P extends TenantScoped<P>> P params(P params, CallContext context) {
        String outside = context.tenant();
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
