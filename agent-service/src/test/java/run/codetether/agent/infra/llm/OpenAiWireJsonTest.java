package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiWireJsonTest {

    /** What LangChain4j's OpenAI client writes as a request body, through its own (package-private) mapper. */
    private static String body(Object value) throws Exception {
        Method toJson = Class.forName(OpenAiWireJson.MAPPER_CLASS).getDeclaredMethod("toJson", Object.class);
        toJson.setAccessible(true);
        return (String) toJson.invoke(null, value);
    }

    @Test
    void theOpenAiClientsRequestBodiesAreWrittenWithoutIndentation() throws Exception {
        Map<String, Object> request = Map.of("tools", List.of(Map.of("type", "function", "function",
                Map.of("name", "read_file", "parameters", Map.of("type", "object")))));
        // the library's own setting (1.19.0): pretty-printed; this assertion fails if the switch did not happen
        assertTrue(OpenAiWireJson.compact(), "the OpenAI client's mapper was not found");
        String compact = body(request);
        assertEquals(-1, compact.indexOf('\n'), compact);
        assertEquals(-1, compact.indexOf("  "), compact);
        assertTrue(compact.contains("\"name\":\"read_file\""), compact);
    }
}
