package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.internal.chat.Function;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.chat.Tool;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ToolSpec;

class ToolJsonOnceTest {
    /** What the library's mapper writes without the cache: its settings (1.19.0) with indentation off. */
    private static final ObjectMapper PLAIN = new ObjectMapper();

    @BeforeAll
    static void compact() {
        assertTrue(OpenAiWireJson.compact(), "the OpenAI client's mapper was not found");
    }

    /** What LangChain4j's OpenAI client writes as a request body, through its own (package-private) mapper. */
    private static String body(Object value) throws Exception {
        Method toJson = Class.forName(OpenAiWireJson.MAPPER_CLASS).getDeclaredMethod("toJson", Object.class);
        toJson.setAccessible(true);
        return (String) toJson.invoke(null, value);
    }

    /** A fresh tool per call, as the client builds one per request. */
    private static Tool tool(String name, String description, String... schemaKeys) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (String k : schemaKeys) {
            props.put(k, Map.of("type", "string", "description", "the " + k + " \"quoted\"\n"));
        }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", "object");
        params.put("properties", props);
        params.put("required", List.of(schemaKeys));
        return Tool.from(Function.builder().name(name).description(description).parameters(params).build());
    }

    private static Map<String, Object> request(Tool... tools) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "m");
        r.put("tools", List.of(tools));
        r.put("stream", true);
        return r;
    }

    @Test
    void equalToolsAreEncodedOnceAndTheBodyIsByteForByteTheLibrarysOwn() throws Exception {
        long before = ToolJsonOnce.encodings();
        String first = body(request(tool("once_a", "reads", "path"), tool("once_b", "writes", "path", "text")));
        assertEquals(before + 2, ToolJsonOnce.encodings());
        String second = body(request(tool("once_a", "reads", "path"), tool("once_b", "writes", "path", "text")));
        assertEquals(before + 2, ToolJsonOnce.encodings(), "equal tools of the next call are not encoded again");
        assertEquals(first, second);
        assertEquals(PLAIN.writeValueAsString(request(tool("once_a", "reads", "path"),
                tool("once_b", "writes", "path", "text"))), second);
    }

    @Test
    void aChangedToolIsEncodedAgainNeverServedStale() throws Exception {
        body(request(tool("changed", "reads a file", "path", "limit")));
        long before = ToolJsonOnce.encodings();

        Tool described = tool("changed", "reads a file, now with offsets", "path", "limit");
        String b1 = body(request(described));
        assertEquals(before + 1, ToolJsonOnce.encodings());
        assertTrue(b1.contains("reads a file, now with offsets"), b1);
        assertEquals(PLAIN.writeValueAsString(request(described)), b1);

        // the same keys in another order: equal by the library's equals, but other bytes
        Tool reordered = tool("changed", "reads a file", "limit", "path");
        String b2 = body(request(reordered));
        assertEquals(before + 2, ToolJsonOnce.encodings());
        assertEquals(PLAIN.writeValueAsString(request(reordered)), b2);

        Tool widened = tool("changed", "reads a file", "path", "limit", "offset");
        String b3 = body(request(widened));
        assertEquals(before + 3, ToolJsonOnce.encodings());
        assertEquals(PLAIN.writeValueAsString(request(widened)), b3);
    }

    private static String schema(String... keys) {
        StringBuilder props = new StringBuilder();
        for (String k : keys) {
            props.append(props.isEmpty() ? "" : ",").append("\"").append(k)
                    .append("\":{\"type\":\"string\",\"description\":\"the ").append(k).append("\"}");
        }
        return "{\"type\":\"object\",\"properties\":{" + props + "}}";
    }

    /** The client's own tools of a request: LangChain4j's OpenAI mapping of the specs, fresh maps on every call. */
    private static List<Tool> tools(ToolSpecifications specs, boolean strict, ToolSpec... catalog) {
        return OpenAiUtils.toTools(specs.of(List.of(catalog)), strict);
    }

    private static Map<String, Object> request(List<Tool> tools) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", "m");
        r.put("tools", tools);
        r.put("stream", true);
        return r;
    }

    @Test
    void theAgentsOwnToolsAreFoundWithoutComparingTheirSchemasAndStayByteForByteTheLibrarys() throws Exception {
        ToolSpecifications specs = new ToolSpecifications();
        ToolSpec read = ToolSpec.readOnly("own_read", "reads", schema("path", "limit"));
        ToolSpec write = new ToolSpec("own_write", "writes", schema("path", "text"), false, false);

        String first = body(request(tools(specs, false, read, write)));
        long encodings = ToolJsonOnce.encodings();
        long compared = ToolJsonOnce.compared();
        String second = body(request(tools(specs, false, read, write)));

        assertEquals(encodings, ToolJsonOnce.encodings(), "the next call's tools are not encoded again");
        assertEquals(compared, ToolJsonOnce.compared(), "the agent's own tools are keyed by their spec, not by "
                + "hashing and comparing every schema map");
        assertEquals(first, second);
        assertEquals(PLAIN.writeValueAsString(request(tools(specs, false, read, write))), second);

        // strict mode changes the schema the mapper writes: its own encoding, the library's bytes
        String strict = body(request(tools(specs, true, read)));
        assertEquals(encodings + 1, ToolJsonOnce.encodings());
        assertTrue(strict.contains("\"strict\":true") && strict.contains("\"additionalProperties\":false"), strict);
        assertEquals(PLAIN.writeValueAsString(request(tools(specs, true, read))), strict);
    }

    @Test
    void anotherSpecWithTheSameNameAndDescriptionGetsItsOwnSchemaNeverTheFirstOnes() throws Exception {
        ToolSpecifications specs = new ToolSpecifications();
        ToolSpec narrow = ToolSpec.readOnly("own_same", "the same text", schema("path"));
        ToolSpec wide = ToolSpec.readOnly("own_same", "the same text", schema("path", "offset"));

        String a = body(request(tools(specs, false, narrow)));
        String b = body(request(tools(specs, false, wide)));

        assertFalse(a.contains("offset"), a);
        assertTrue(b.contains("\"offset\""), b);
        assertEquals(PLAIN.writeValueAsString(request(tools(specs, false, wide))), b);
        // a tool not made from the agent's specs (another caller's description) still takes the whole comparison
        long compared = ToolJsonOnce.compared();
        body(request(tool("own_other", "the same text", "path")));
        assertEquals(compared + 1, ToolJsonOnce.compared());
    }
}
