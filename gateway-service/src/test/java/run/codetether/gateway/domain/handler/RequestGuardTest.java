package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.ApiKeys;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.RateLimiter;
import run.codetether.gateway.domain.TenantBinding;

/** Authentication and the per-client limit in front of every binding (no HTTP needed). */
class RequestGuardTest {
    final AtomicLong now = new AtomicLong(5_000_000_000L);
    final RequestGuard closed = new RequestGuard(false, new ApiKeys(List.of("alice:alice-secret-1")),
            new RateLimiter(1, 2, now::get));

    @Test
    void bearerOrApiKeyHeaderAuthenticates() {
        assertEquals("alice", closed.admit("Bearer alice-secret-1", null, "127.0.0.1").clientId());
        assertEquals("alice", closed.admit(null, "alice-secret-1", "127.0.0.1").clientId());
        A2AException e = assertThrows(A2AException.class, () -> closed.admit(null, null, "127.0.0.1"));
        assertEquals(A2AError.UNAUTHENTICATED, e.error());
        assertThrows(A2AException.class, () -> closed.admit("Bearer wrong-secret", null, "127.0.0.1"));
    }

    @Test
    void overTheLimitAnswersRetryAfter() {
        closed.admit("Bearer alice-secret-1", null, "a");
        closed.admit("Bearer alice-secret-1", null, "b");
        A2AException limited = assertThrows(A2AException.class,
                () -> closed.admit("Bearer alice-secret-1", null, "c"));
        assertEquals(1, limited.retryAfterSeconds());
        assertEquals(A2AError.RATE_LIMITED, limited.error());
        assertEquals(429, limited.error().httpStatus());
        assertEquals(1L, limited.details().get("retryAfterSeconds"), "the hint travels in every binding's details");
    }

    @Test
    void openGatewayLimitsPerAddress() {
        RequestGuard open = new RequestGuard(true, new ApiKeys(List.of()), new RateLimiter(1, 1, now::get));
        assertEquals(Caller.ANONYMOUS, open.admit(null, null, "10.0.0.1"));
        assertEquals(Caller.ANONYMOUS, open.admit(null, null, "10.0.0.2"));
        assertEquals(A2AError.RATE_LIMITED,
                assertThrows(A2AException.class, () -> open.admit(null, null, "10.0.0.1")).error());
    }

    @Test
    void jwtShapedBearersGoToTheTokenVerifierOnly() {
        String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        RequestGuard withJwt = new RequestGuard(false, new ApiKeys(List.of("alice:alice-secret-1")), token -> {
            if (!token.equals(jwt)) {
                throw new A2AException(A2AError.UNAUTHENTICATED, "bad jwt");
            }
            return new Caller("idp-user");
        }, new RateLimiter(0, 1, now::get), new TenantBinding(List.of(), Map.of("idp-user", List.of("acme"))));
        assertEquals("idp-user", withJwt.admit("Bearer " + jwt, null, "a").clientId());
        // a token's client id is bound like a key's
        assertEquals(List.of("acme"), withJwt.admit("Bearer " + jwt, null, "a").tenants().tenants());
        assertEquals(List.of("default"), withJwt.admit("Bearer alice-secret-1", null, "a").tenants().tenants());
        assertEquals("alice", withJwt.admit("Bearer alice-secret-1", null, "a").clientId());
        assertEquals("bad jwt", assertThrows(A2AException.class,
                () -> withJwt.admit("Bearer " + jwt.replace("c2ln", "eA"), null, "a")).getMessage());
        // a JWT in X-API-Key is not a JWT login: it is compared with the API keys and fails
        assertEquals("The API key is not valid",
                assertThrows(A2AException.class, () -> withJwt.admit(null, jwt, "a")).getMessage());
    }

    @Test
    void onlyAGuardWithAJwtVerifierMayBlock() {
        // the bindings answer reads on the event loop only when admission cannot block (JsonRpcRoutes, RestRoutes)
        assertEquals(false, closed.mayBlock());
        assertEquals(false, new RequestGuard(true, new ApiKeys(List.of()), new RateLimiter(1, 1, now::get))
                .mayBlock());
        RequestGuard withJwt = new RequestGuard(false, new ApiKeys(List.of()), token -> new Caller("idp-user"),
                new RateLimiter(0, 1, now::get), TenantBinding.DEFAULT_ONLY);
        assertEquals(true, withJwt.mayBlock());
    }
}
