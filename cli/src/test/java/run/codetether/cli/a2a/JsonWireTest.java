package run.codetether.cli.a2a;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import run.codetether.platform.json.Json;

/** The request written without the mapper must be the mapper's, byte for byte. */
class JsonWireTest {
    @Test
    void aTreeIsWrittenAsTheMapperWritesIt() throws Exception {
        ObjectNode tree = JsonWire.object();
        tree.put("jsonrpc", "2.0").put("id", 7L).put("i", 3).put("d", 0.1).put("f", 1.5f).put("big", new BigDecimal("1e400"))
                .put("bi", new BigInteger("123456789012345678901234567890")).put("t", true).putNull("nothing")
                .put("text", "é \"quoted\" \n\t\u0001 \u2028 😀").put("bytes", new byte[] {1, 2, 3}).put("nan", Double.NaN);
        tree.putArray("a").add(1).add("x").addNull().addObject().put("k", "v");
        tree.putObject("empty");
        tree.set("parsed", Json.mapper().readTree("{\"deep\":[{\"x\":[1,2.5,null,{\"y\":false}]}]}"));

        assertArrayEquals(Json.mapper().writeValueAsBytes(tree), JsonWire.bytes(tree));
    }

    @Test
    void valuesBecomeTheTreesTheMapperMakes() {
        Map<String, Object> git = new LinkedHashMap<>();
        git.put("url", "git@host.invalid:org/r.git");
        git.put("ref", "main");
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("git", git);
        meta.put("push", Map.of("branch", "codetether/x"));
        meta.put("max_concurrency", 4);
        meta.put("big", 1L << 40);
        meta.put("ratio", 0.25);
        meta.put("on", true);
        meta.put("list", List.of("a", 1, Map.of("file_ref", 2)));
        meta.put("set", new HashSet<>(Set.of("only")));
        List<Object> withNull = new ArrayList<>();
        withNull.add(null);
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("gone", null);
        // what the plain path does not build is the mapper's (records, paths, null members)
        for (Object value : List.of(meta, Map.of("path", Path.of("a/b")), withNull, nullValue, List.of(new Pair("x", 1)),
                "text", 5, Map.of())) {
            JsonNode expected = Json.mapper().valueToTree(value);
            JsonNode actual = JsonWire.tree(value);
            assertEquals(expected, actual, String.valueOf(value));
            assertArrayEquals(Json.bytes(expected), JsonWire.bytes(actual), String.valueOf(value));
        }
    }

    @Test
    void messageIdsAreRandomVersionFourUuids() {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UUID id = Outgoing.randomUuid();
            assertEquals(4, id.version(), id.toString());
            assertEquals(2, id.variant(), id.toString());
            assertTrue(seen.add(id), "repeated id " + id);
            assertEquals(id, UUID.fromString(id.toString()));
        }
    }

    record Pair(String name, int n) {}
}
