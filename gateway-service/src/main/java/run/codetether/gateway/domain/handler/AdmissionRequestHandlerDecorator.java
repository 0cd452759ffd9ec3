package run.codetether.gateway.domain.handler;

/**
 * Admits every call before its operation runs: the credentials the binding saw become the caller (or
 * UNAUTHENTICATED), and the caller's token bucket decides (or RATE_LIMITED with a retry delay). The wrapped handler
 * sees admitted contexts only, without the credentials. Runs on the binding's worker thread, never the event loop
 * (a JWT may need the issuer's JWKS).
 */
public final class AdmissionRequestHandlerDecorator extends ForwardingRequestHandler {
    private final RequestGuard guard;

    public AdmissionRequestHandlerDecorator(A2ARequestHandler delegate, RequestGuard guard) {
        super(delegate);
        this.guard = guard;
    }

    @Override
    protected CallContext before(CallContext context) {
        return context.admit(guard.admit(context.authorization(), context.apiKey(), context.remote()));
    }
}
