package run.codetether.gateway.api.a2a;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.support.RawHttp;

/**
 * The public agent cards are served from bytes encoded once per base URL (issue 18), with a strong ETag and
 * Cache-Control: the same card as before, a 304 for a client that holds it, each Host its own URLs.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class AgentCardRepliesTest {
    @TestHTTPResource("/")
    URI root;

    private RawHttp.Answer get(String path, String host, String extra) {
        return RawHttp.send(root, "GET " + path + " HTTP/1.1\r\nHost: " + host + (extra == null ? "" : "\r\n" + extra),
                null);
    }

    private static String header(RawHttp.Answer a, String name) {
        for (String line : a.head().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    @Test
    void theCardIsServedWithAnETagAndAClientThatHoldsItGetsA304() throws Exception {
        RawHttp.Answer first = get("/.well-known/agent-card.json", "cards.test:8080", null);
        assertEquals(200, first.status(), first::toString);
        assertEquals("application/json", header(first, "content-type"));
        assertEquals("public, max-age=300", header(first, "cache-control"));
        String etag = header(first, "etag");
        assertTrue(etag != null && etag.matches("\"[0-9a-f]{32}\""), () -> "a strong ETag: " + etag);
        JsonNode card = WireJson.MAPPER.readTree(first.body());
        assertEquals("CodeTether", card.get("name").asText());
        assertTrue(first.body().contains("http://cards.test:8080/a2a"), "the card names the URL the client reached");

        RawHttp.Answer again = get("/.well-known/agent-card.json", "cards.test:8080", null);
        assertEquals(first.body(), again.body(), "the same bytes every time");
        assertEquals(etag, header(again, "etag"));

        RawHttp.Answer held = get("/.well-known/agent-card.json", "cards.test:8080", "If-None-Match: W/\"x\", " + etag);
        assertEquals(304, held.status(), held::toString);
        assertEquals("", held.body(), "no body for a card the client holds");
        assertEquals(etag, header(held, "etag"));

        RawHttp.Answer stale = get("/.well-known/agent-card.json", "cards.test:8080", "If-None-Match: \"stale\"");
        assertEquals(200, stale.status());
        assertEquals(first.body(), stale.body());
    }

    @Test
    void eachHostGetsItsOwnCardAndThe03CardItsOwnTag() throws Exception {
        RawHttp.Answer a = get("/.well-known/agent-card.json", "one.test", null);
        RawHttp.Answer b = get("/.well-known/agent-card.json", "two.test", null);
        assertTrue(a.body().contains("http://one.test/a2a") && !a.body().contains("two.test"), a.body());
        assertTrue(b.body().contains("http://two.test/a2a"), b.body());
        assertNotEquals(header(a, "etag"), header(b, "etag"));
        RawHttp.Answer v03 = get("/.well-known/agent.json", "one.test", null);
        assertEquals(200, v03.status());
        assertTrue(v03.body().contains("\"protocolVersion\":\"0.3.0\""), v03.body());
        assertNotEquals(header(a, "etag"), header(v03, "etag"));
        assertFalse(get("/.well-known/agent.json", "one.test", "If-None-Match: " + header(a, "etag")).status() == 304,
                "the 1.0 card's tag does not match the 0.3 card");
    }

    @Test
    void manyMadeUpHostsStillGetTheirCard() {
        for (int i = 0; i < CardReplies.MAX_BASES + 4; i++) {
            RawHttp.Answer a = get("/.well-known/agent-card.json", "h" + i + ".test", null);
            assertEquals(200, a.status());
            int n = i;
            assertTrue(a.body().contains("http://h" + n + ".test/a2a"), () -> "host " + n + ": " + a.body());
        }
    }

    @Test
    void theTagMatchesAsIfNoneMatchSays() {
        assertTrue(CardReplies.matches("*", "\"a\""));
        assertTrue(CardReplies.matches("\"b\", \"a\"", "\"a\""));
        assertTrue(CardReplies.matches("W/\"a\"", "\"a\""));
        assertFalse(CardReplies.matches("\"ab\"", "\"a\""));
    }
}
