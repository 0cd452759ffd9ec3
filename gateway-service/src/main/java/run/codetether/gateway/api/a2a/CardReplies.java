package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One public agent card route's answers, encoded once per base URL (issue 18: the card was built and written by
 * Jackson on every request, 2.35x the JS SDK agent's rate where the goal is 3x): the bytes, a strong ETag over them
 * and {@code Cache-Control}, so a client that holds the card gets a 304 without a body and a cache may keep it for
 * {@link #MAX_AGE_SECONDS}. The card only changes with the configuration, i.e. with a restart.
 *
 * <p>The card names the URL the client reached (the Host header) unless a public URL is configured, so the encoded
 * card is kept per resolved base URL, at most {@link #MAX_BASES} of them: a client sending made-up Host headers gets
 * its card encoded per request, as before, and evicts nothing. Thread-safe.
 */
final class CardReplies {
    /** Distinct base URLs kept encoded: a deployment is reached under a few names. */
    static final int MAX_BASES = 16;
    static final int MAX_AGE_SECONDS = 300;

    private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("application/json");
    private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("public, max-age=" + MAX_AGE_SECONDS);

    /** The encoded card of one base URL. */
    record Encoded(Buffer body, CharSequence etag) {}

    private final UnaryOperator<String> baseOf;
    private final Function<String, Object> cardOf;
    private final Map<String, Encoded> byBase = new ConcurrentHashMap<>();

    /**
     * @param baseOf the base URL the card names for a request's base (the configured public URL wins)
     * @param cardOf the card's JSON for a base URL, as that version's route writes it
     */
    CardReplies(UnaryOperator<String> baseOf, Function<String, Object> cardOf) {
        this.baseOf = baseOf;
        this.cardOf = cardOf;
    }

    /** Answers the card (200) or, when the client's {@code If-None-Match} names it, 304 without a body. */
    void serve(RoutingContext ctx) {
        Encoded card = encoded(HttpEdge.requestBase(ctx));
        HttpServerResponse response = ctx.response();
        response.putHeader(HttpHeaders.ETAG, card.etag()).putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        String known = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (known != null && matches(known, card.etag().toString())) {
            response.setStatusCode(304).end();
            return;
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE).end(card.body());
    }

    Encoded encoded(String requestBase) {
        String base = baseOf.apply(requestBase);
        Encoded card = byBase.get(base);
        if (card != null) {
            return card;
        }
        card = encode(cardOf.apply(base));
        if (byBase.size() < MAX_BASES) {
            Encoded first = byBase.putIfAbsent(base, card);
            return first == null ? card : first;
        }
        return card;
    }

    private static Encoded encode(Object json) {
        byte[] bytes;
        try {
            bytes = WireJson.MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the agent card cannot be written as JSON: " + e.getMessage(), e);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            String tag = "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
            // one Buffer for every answer: Vert.x writes a duplicate of it, never consumes it
            return new Encoded(Buffer.buffer(bytes), HttpHeaders.createOptimized(tag));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** {@code If-None-Match}: {@code *}, or a list of tags of which one is ours (weak comparison, as GET uses). */
    static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.equals("*") || tag.equals(etag) || tag.startsWith("W/") && tag.substring(2).equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
