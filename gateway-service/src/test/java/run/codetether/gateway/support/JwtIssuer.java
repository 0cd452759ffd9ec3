package run.codetether.gateway.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * A test identity provider: an RSA key generated at run time (never stored), its public JWKS, and tokens signed
 * with it (or deliberately wrong ones).
 */
public final class JwtIssuer {
    public static final String ISSUER = "https://idp.codetether.test";
    public static final String AUDIENCE = "codetether-gateway";
    /** Where the Quarkus test resource leaves the private key for the test classes (another class loader). */
    public static final String PROPERTY = "codetether.test.jwt.private-jwk";

    private final RSAKey key;

    public JwtIssuer(RSAKey key) {
        this.key = key;
    }

    public static JwtIssuer generate(String kid) {
        try {
            return new JwtIssuer(new RSAKeyGenerator(2048).keyID(kid).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The issuer the running gateway trusts (its key was put in {@link #PROPERTY} by the test resource). */
    public static JwtIssuer trusted() {
        String jwk = System.getProperty(PROPERTY);
        if (jwk == null) {
            throw new IllegalStateException("JwtTestResource did not start");
        }
        try {
            return new JwtIssuer(RSAKey.parse(jwk));
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey key() {
        return key;
    }

    public String publicJwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    public String token(String sub, String audience, Instant expires) {
        return token(new JWTClaimsSet.Builder().issuer(ISSUER).subject(sub).audience(List.of(audience))
                .issueTime(new Date()).expirationTime(Date.from(expires)).build());
    }

    public String valid(String sub) {
        return token(sub, AUDIENCE, Instant.now().plusSeconds(600));
    }

    public String token(JWTClaimsSet claims) {
        return token(claims, null);
    }

    /** A token with a {@code typ} header, e.g. {@code at+jwt} (RFC 9068 access token). */
    public String token(JWTClaimsSet claims, String type) {
        try {
            JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID());
            if (type != null) {
                header.type(new com.nimbusds.jose.JOSEObjectType(type));
            }
            SignedJWT jwt = new SignedJWT(header.build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token signed with a shared secret (HS256), which the gateway must never accept. */
    public static String hmac(String sub) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer(ISSUER).subject(sub).audience(AUDIENCE)
                    .expirationTime(Date.from(Instant.now().plusSeconds(600))).build());
            jwt.sign(new MACSigner("0123456789abcdef0123456789abcdef"));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsigned token ({@code alg: none}). */
    public static String unsigned(String sub) {
        return new PlainJWT(new JWTClaimsSet.Builder().issuer(ISSUER).subject(sub).audience(AUDIENCE)
                .expirationTime(Date.from(Instant.now().plusSeconds(600))).build()).serialize();
    }
}
