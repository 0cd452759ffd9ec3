package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.List;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.model.ToolSpec;

class ToolSpecificationsTest {
    private static final String READ = "{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\","
            + "\"description\":\"file\"}},\"required\":[\"path\"]}";

    @Test
    void aToolIsConvertedOnceAndServesEveryLaterCall() {
        ToolSpecifications specs = new ToolSpecifications();
        ToolSpec read = ToolSpec.readOnly("read_file", "Reads a file", READ);
        ToolSpec list = ToolSpec.readOnly("list_dir", null, "{\"type\":\"object\"}");

        List<ToolSpecification> first = specs.of(List.of(read, list));
        // a later call offers equal specs (a new catalog object from the same tool list): no new conversion
        List<ToolSpecification> second = specs.of(List.of(ToolSpec.readOnly("read_file", "Reads a file", READ),
                ToolSpec.readOnly("list_dir", null, "{\"type\":\"object\"}")));

        assertSame(first.get(0), second.get(0));
        assertSame(first.get(1), second.get(1));
        assertEquals(2, specs.size());
        ToolSpecification r = first.get(0);
        assertEquals("read_file", r.name());
        assertEquals("Reads a file", r.description());
        assertEquals(List.of("path"), r.parameters().required());
        assertTrue(r.parameters().properties().get("path") instanceof JsonStringSchema);
        assertEquals("", first.get(1).description());
    }

    @Test
    void aToolWhoseSchemaChangedIsConvertedAgain() {
        ToolSpecifications specs = new ToolSpecifications();
        ToolSpecification before = specs.of(List.of(ToolSpec.readOnly("read_file", "Reads a file", READ))).get(0);
        String changed = READ.replace("\"type\":\"string\"", "\"type\":\"integer\"");
        ToolSpecification after = specs.of(List.of(ToolSpec.readOnly("read_file", "Reads a file", changed))).get(0);

        assertNotSame(before, after);
        assertTrue(after.parameters().properties().get("path") instanceof JsonIntegerSchema);
        assertTrue(before.parameters().properties().get("path") instanceof JsonStringSchema);
    }

    @Test
    void theCacheStartsOverInsteadOfGrowingPastItsBound() {
        ToolSpecifications specs = new ToolSpecifications();
        for (int i = 0; i < ToolSpecifications.MAX_TOOLS + 10; i++) {
            specs.of(List.of(ToolSpec.readOnly("t" + i, "d", "{\"type\":\"object\"}")));
            assertTrue(specs.size() <= ToolSpecifications.MAX_TOOLS, "held " + specs.size());
        }
        assertEquals("t5000", specs.of(List.of(ToolSpec.readOnly("t5000", "d", "{\"type\":\"object\"}"))).get(0).name());
    }
}
