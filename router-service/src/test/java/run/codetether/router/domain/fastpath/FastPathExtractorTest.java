package run.codetether.router.domain.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.router.domain.TestTools;
import run.codetether.router.domain.ToolCall;
import run.codetether.router.domain.ToolSpec;

class FastPathExtractorTest {

    private static final Map<String, ToolSpec> TOOLS = new LinkedHashMap<>();

    static {
        TestTools.tools().forEach(t -> TOOLS.put(t.name(), t));
    }

    private static FastPathExtractor.Result extract(String text) {
        return FastPathExtractor.extract(text, TOOLS);
    }

    @Test
    void toolCallBlocksAreExtractedInOrder() {
        var result = extract("Let me look.\n<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}\n"
                + "</tool_call> and <tool_call>{\"name\":\"bash\",\"arguments\":{\"command\":\"echo </tool_call>\"}}"
                + "</tool_call>");
        assertTrue(result.found(), result.problems().toString());
        assertEquals(List.of(new ToolCall("read_file", "{\"path\":\"a.txt\"}"),
                new ToolCall("bash", "{\"command\":\"echo </tool_call>\"}")), result.calls());
    }

    @Test
    void bareAndFencedJsonObjectsWithNameAndArguments() {
        var bare = extract("I'll run {\"name\": \"bash\", \"arguments\": {\"command\": \"ls\"}} now");
        assertEquals(List.of(new ToolCall("bash", "{\"command\":\"ls\"}")), bare.calls());
        var fenced = extract("```json\n{\"name\": \"read_file\", \"arguments\": \"{\\\"path\\\": \\\"x\\\"}\"}\n```");
        assertEquals(List.of(new ToolCall("read_file", "{\"path\":\"x\"}")), fenced.calls(), "OpenAI-style string args");
        var array = extract("```\n[{\"name\": \"list_dir\", \"arguments\": {}}, {\"name\": \"bash\", "
                + "\"parameters\": {\"command\": \"pwd\"}}]\n```");
        assertEquals(2, array.calls().size());
    }

    @Test
    void functionGemmaBlocksInText() {
        var result = extract("<start_function_call>call:bash{command:<escape>ls -la<escape>}<end_function_call>");
        assertEquals(List.of(new ToolCall("bash", "{\"command\":\"ls -la\"}")), result.calls());
    }

    @Test
    void declinesWithReasonsWhenACallIsInvalid() {
        var unknown = extract("<tool_call>{\"name\": \"rm\", \"arguments\": {}}</tool_call>");
        assertFalse(unknown.found());
        assertTrue(unknown.problems().getFirst().contains("unknown tool 'rm'"));
        var wrongType = extract("{\"name\": \"read_file\", \"arguments\": {\"path\": 42}}");
        assertFalse(wrongType.found());
        assertTrue(wrongType.problems().getFirst().contains("expected a string"), wrongType.problems().toString());
        var broken = extract("<tool_call>{\"name\": </tool_call>");
        assertFalse(broken.found());
        assertFalse(broken.problems().isEmpty());
    }

    @Test
    void plainProseHasNoCall() {
        var result = extract("I think we should read the config file {maybe} and then run the build.");
        assertFalse(result.found());
        assertEquals(List.of(), result.problems());
    }
}
