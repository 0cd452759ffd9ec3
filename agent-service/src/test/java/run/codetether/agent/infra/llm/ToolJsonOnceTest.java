package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.openai.internal.chat.Function;
import dev.langchain4j.model.openai.internal.chat.Tool;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
}
