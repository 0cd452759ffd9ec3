package run.codetether.platform.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.events.ContractJson;

class JsonTest {
    record Stamp(String id, Instant at, String note) {}

    @Test
    void theOneMapperIsTheContractsMapper() {
        assertSame(ContractJson.mapper(), Json.mapper(), "exactly one configured mapper in the platform");
    }

    @Test
    void instantsAreIsoAndNullsAreLeftOutExceptInTrees() {
        String json = Json.write(new Stamp("a", Instant.parse("2026-01-02T03:04:05Z"), null));
        assertEquals("{\"id\":\"a\",\"at\":\"2026-01-02T03:04:05Z\"}", json);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", null);
        m.put("ok", true);
        assertEquals("{\"ok\":true}", Json.write(m), "a map's null values are left out as well");
        assertEquals("{\"result\":null}", Json.write(Json.object().putNull("result")),
                "a tree is written as built (JSON-RPC needs its explicit nulls)");
    }

    @Test
    void unknownFieldsAreIgnoredSoANewerProducerNeverBreaksAnOlderReader() throws Exception {
        Stamp s = Json.mapper().readValue("{\"id\":\"a\",\"future\":1}", Stamp.class);
        assertEquals("a", s.id());
    }

    @Test
    void hostileNestingFailsAsAParseError() throws Exception {
        String ok = "[".repeat(ContractJson.MAX_DEPTH) + "]".repeat(ContractJson.MAX_DEPTH);
        assertTrue(Json.parse(ok).isArray());
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        var e = assertThrows(JsonProcessingException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
    }

    @Test
    void prettyOutputIsIndented() throws Exception {
        assertTrue(Json.pretty().writeValueAsString(Json.object().put("a", 1)).contains("\n"));
    }
}
