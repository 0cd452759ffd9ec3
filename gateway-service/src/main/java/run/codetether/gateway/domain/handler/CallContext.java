package run.codetether.gateway.domain.handler;

import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;

/**
 * What a binding knows about one call besides its parameters: the credentials the client presented, where it came
 * from, the tenant named outside the parameters, the A2A version of its wire, and the base URL it reached. The
 * admission decorator turns the credentials into a {@link Caller} (and drops them); the core handler only ever
 * sees admitted contexts.
 *
 * @param authorization the {@code Authorization} header / gRPC metadata, or null; never logged
 * @param apiKey the {@code X-API-Key} header / metadata, or null; never logged
 * @param remote the client's address (the rate-limit key of an open gateway)
 * @param tenant a tenant named outside the parameters (the HTTP+JSON {@code /{tenant}/...} prefix), or null
 * @param protocolVersion "1.0", or "0.3" when a 0.3 converter called: the shape of push payloads for configs it
 *     creates (the only thing the core keeps of the wire version)
 * @param baseUrl scheme://host[:port] the client reached (the extended card's URLs), or null when unknown
 * @param caller who is calling, once admitted; null before
 */
public record CallContext(String authorization, String apiKey, String remote, String tenant, String protocolVersion,
        String baseUrl, Caller caller) {
    public static final String V10 = "1.0";

    public CallContext {
        remote = remote == null ? "unknown" : remote;
        protocolVersion = protocolVersion == null ? V10 : protocolVersion;
    }

    /** A call as a binding receives it, before admission. */
    public static CallContext of(String authorization, String apiKey, String remote) {
        return new CallContext(authorization, apiKey, remote, null, V10, null, null);
    }

    /** An already admitted call (tests, and callers inside the gateway). */
    public static CallContext admitted(Caller caller) {
        return new CallContext(null, null, null, null, V10, null, caller);
    }

    /** The context after admission: the caller set, the credentials forgotten. */
    public CallContext admit(Caller admitted) {
        return new CallContext(null, null, remote, tenant, protocolVersion, baseUrl, admitted);
    }

    public CallContext withTenant(String newTenant) {
        return new CallContext(authorization, apiKey, remote, newTenant, protocolVersion, baseUrl, caller);
    }

    public CallContext withProtocolVersion(String version) {
        return new CallContext(authorization, apiKey, remote, tenant, version, baseUrl, caller);
    }

    public CallContext withBaseUrl(String url) {
        return new CallContext(authorization, apiKey, remote, tenant, protocolVersion, url, caller);
    }

    /** The admitted caller; a context that skipped admission is a wiring bug and fails loudly. */
    public Caller requireCaller() {
        if (caller == null) {
            throw new A2AException(A2AError.INTERNAL, "Internal error: call was not admitted");
        }
        return caller;
    }

    @Override
    public String toString() {
        return "CallContext[remote=" + remote + ", tenant=" + tenant + ", version=" + protocolVersion + ", caller="
                + caller + "]";
    }
}
