package run.codetether.gateway.infra.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Set;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.Caller;
import run.codetether.gateway.domain.JwtPolicy;
import run.codetether.gateway.domain.TokenVerifier;

/**
 * Bearer JWTs signed by the operator's identity provider: the signature is checked with Nimbus JOSE+JWT against a
 * JWKS (a file read at start, or an OIDC {@code jwks_uri} fetched, cached and refreshed on an unknown key id),
 * asymmetric algorithms only (RS*, PS*, ES*: never {@code none} or a shared HMAC secret), then the claims go
 * through {@link JwtPolicy}. Tokens are never logged.
 */
public final class JwksTokenVerifier implements TokenVerifier {
    private static final Logger LOG = Logger.getLogger(JwksTokenVerifier.class);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JwtPolicy policy;
    private final Clock clock;

    public JwksTokenVerifier(JWKSource<SecurityContext> keys, JwtPolicy policy, Clock clock) {
        this.policy = policy;
        this.clock = clock;
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        // plain JWTs and OAuth 2.0 access tokens (RFC 9068 "at+jwt", what many OIDC providers issue)
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        // the claims are checked by JwtPolicy, with its own messages and the configured skew
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    /** A JWKS read once from a file (keys rotate with a restart). */
    public static JWKSource<SecurityContext> fromFile(String path) {
        try {
            return new ImmutableJWKSet<>(JWKSet.load(new File(path)));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the JWKS file " + path + ": " + e.getMessage(), e);
        }
    }

    /** A remote JWKS (e.g. an OIDC provider's jwks_uri), cached for {@code ttl}, refetched on an unknown kid. */
    public static JWKSource<SecurityContext> fromUrl(String url, Duration ttl, Duration timeout) {
        try {
            int ms = (int) timeout.toMillis();
            return JWKSourceBuilder.<SecurityContext>create(URI.create(url).toURL(),
                            new DefaultResourceRetriever(ms, ms, 1_048_576))
                    .cache(ttl.toMillis(), Math.min(ttl.toMillis() - 1, timeout.toMillis() * 2))
                    .retrying(true)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("JWKS URL is not a URL: " + url, e);
        }
    }

    @Override
    public Caller verify(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (KeySourceException e) {
            LOG.warnf("cannot get the JWKS to verify a bearer token: %s", e.getMessage());
            throw new A2AException(A2AError.UNAVAILABLE, "The token signing keys cannot be fetched right now");
        } catch (ParseException e) {
            throw JwtPolicy.unauthenticated("The bearer token is not a well-formed JWT");
        } catch (BadJWSException e) {
            throw JwtPolicy.unauthenticated("The bearer token's signature is not valid");
        } catch (BadJOSEException e) {
            // no key of the JWKS matches its kid/algorithm, or an unsigned / HMAC token
            throw JwtPolicy.unauthenticated("The bearer token is not signed by a known key with an accepted "
                    + "algorithm (RS*, PS*, ES*)");
        } catch (JOSEException e) {
            throw JwtPolicy.unauthenticated("The bearer token cannot be verified");
        }
        return policy.check(new JwtPolicy.Claims(claims.getIssuer(), claims.getAudience(),
                instant(claims.getExpirationTime()), instant(claims.getNotBeforeTime()), claims.getClaims()),
                clock.instant());
    }

    private static java.time.Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }
}
