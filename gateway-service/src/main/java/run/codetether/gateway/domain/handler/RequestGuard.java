package run.codetether.gateway.domain.handler;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.TenantBinding;
import run.codetether.gateway.domain.TokenVerifier;

/**
 * Authentication and rate limiting of every A2A call (all bindings, through
 * {@link AdmissionRequestHandlerDecorator}): an API key as {@code Authorization: Bearer <key>} or
 * {@code X-API-Key: <key>}, or a JWT as {@code Authorization: Bearer <jwt>} when an identity provider is configured,
 * then a token bucket per client (per remote address when the operator runs the gateway open). The admitted caller
 * carries the tenants its client id is bound to ({@link TenantBinding}, the one in force when the request came: it
 * may change while the gateway runs); the anonymous caller of an open gateway may
 * use any tenant. May block (a JWT may need the issuer's JWKS): call it off the event loop.
 */
public final class RequestGuard {
    private final boolean open;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final TokenVerifier jwt;
    private final Supplier<TenantBinding> tenants;
    private final AtomicLong unauthenticated = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();

    /** Every client bound to tenant {@code default} (no tenant entries). */
    public RequestGuard(boolean open, ApiKeys keys, RateLimiter limiter) {
        this(open, keys, null, limiter, TenantBinding.DEFAULT_ONLY);
    }

    /**
     * @param jwt verifies bearer JWTs, or null when only API keys are accepted
     * @param tenants the tenants each client may use
     */
    public RequestGuard(boolean open, ApiKeys keys, TokenVerifier jwt, RateLimiter limiter, TenantBinding tenants) {
        this(open, keys, jwt, limiter, () -> tenants);
    }

    /**
     * @param tenants the binding in force, read once per request (a {@code LiveTenantBinding} changes it while the
     *     gateway runs: every door then binds with the new one)
     */
    public RequestGuard(boolean open, ApiKeys keys, TokenVerifier jwt, RateLimiter limiter,
            Supplier<TenantBinding> tenants) {
        this.open = open;
        this.keys = keys;
        this.jwt = jwt;
        this.limiter = limiter;
        this.tenants = tenants;
    }

    /**
     * @return the caller
     * @throws A2AException UNAUTHENTICATED, or RATE_LIMITED with {@link A2AException#retryAfterSeconds()}
     */
    public Caller admit(String authorization, String apiKey, String remote) {
        Caller caller;
        try {
            caller = open ? Caller.ANONYMOUS : tenants.get().bind(authenticate(authorization, apiKey));
        } catch (A2AException e) {
            unauthenticated.incrementAndGet();
            throw e;
        }
        long wait = limiter.acquire(open ? "addr:" + remote : caller.clientId());
        if (wait > 0) {
            rateLimited.incrementAndGet();
            throw A2AException.retryable(A2AError.RATE_LIMITED, "Rate limit exceeded; retry after " + wait + " s",
                    wait);
        }
        return caller;
    }

    /**
     * Whether {@link #admit} may block: only a JWT check can (it may fetch the issuer's JWKS); API keys, the tenant
     * binding and the token bucket are in memory. A binding may admit on its event loop when this is false.
     */
    public boolean mayBlock() {
        return jwt != null;
    }

    /** Requests refused since start for missing or invalid credentials (the metrics read it). */
    public long refusedUnauthenticated() {
        return unauthenticated.get();
    }

    /** Requests refused since start by the per-client rate limit. */
    public long refusedRateLimited() {
        return rateLimited.get();
    }

    private Caller authenticate(String authorization, String apiKey) {
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        String presented = bearer ? authorization.substring(7).trim() : apiKey;
        if (bearer && jwt != null && TokenVerifier.looksLikeJwt(presented)) {
            // a JWT-shaped bearer is only ever a JWT: its failure reason is the answer, no API-key fallback
            return jwt.verify(presented);
        }
        return keys.authenticate(presented).orElseThrow(() -> new A2AException(A2AError.UNAUTHENTICATED,
                presented == null ? "Authentication required: send Authorization: Bearer <api key> or X-API-Key"
                        : "The API key is not valid"));
    }
}
