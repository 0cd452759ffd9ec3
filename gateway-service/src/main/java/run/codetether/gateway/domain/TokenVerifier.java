package run.codetether.gateway.domain;

/**
 * Verifies a bearer token that is not a static API key (a JWT from the operator's identity provider). Throws
 * {@link A2AException} UNAUTHENTICATED with a reason safe to show (never the token), or UNAVAILABLE when the
 * verification keys cannot be had right now.
 */
public interface TokenVerifier {

    Caller verify(String token);

    /** A compact JWS: three base64url segments, the first a JSON object ({@code eyJ} = base64url of {@code {"}). */
    static boolean looksLikeJwt(String token) {
        if (token == null || !token.startsWith("eyJ")) {
            return false;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        return second > 0 && token.indexOf('.', second + 1) < 0;
    }
}
