package run.codetether.agent.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.loop.CallShape;

class CallShapeTest {
    private static final Set<String> TOOLS = Set.of("read_file", "list_dir", "bash");

    private static boolean call(String text) {
        return CallShape.looksLikeCall(text, TOOLS);
    }

    @Test
    void callTagsAreCalls() {
        assertTrue(call("I will list: <tool_call>{\"name\":\"list_dir\",\"arguments\":{}}</tool_call>"));
        assertTrue(call("<function=read_file>\n<parameter=path>a.txt</parameter>\n</function>"));
        assertTrue(call("<start_function_call>call:bash{command:<escape>ls<escape>}<end_function_call>"));
        assertTrue(call("<TOOL_CALL>whatever</TOOL_CALL>"), "tags are matched case-insensitively");
    }

    @Test
    void jsonObjectsNamingAnOfferedToolAreCalls() {
        assertTrue(call("{\"name\": \"read_file\", \"arguments\": {\"path\": \"a.txt\"}}"));
        assertTrue(call("Sure.\n```json\n{\n  \"tool\": \"bash\",\n  \"args\": {\"command\": \"ls\"}\n}\n```"));
        assertTrue(call("{\"type\":\"function\",\"function\":{\"name\":\"list_dir\",\"arguments\":\"{}\"}}"));
        assertTrue(call("{\"function\" : \"list_dir\"}"));
    }

    @Test
    void anOfferedToolNameFollowedByAParenOrBraceIsACall() {
        assertTrue(call("Let me look: read_file(path=\"a.txt\")"));
        assertTrue(call("list_dir {\"path\": \".\"}"));
        assertTrue(call("bash(\"ls -la\")"));
    }

    @Test
    void plainAnswersAreNotCalls() {
        assertFalse(call("done"));
        assertFalse(call("The file a.txt contains the letter A."));
        assertFalse(call("""
                ## Summary

                I changed `Main.java` so that the loop stops early:

                ```java
                for (int i = 0; i < n; i++) {
                    if (done(i)) { break; }
                }
                ```

                Run it with:

                ```bash
                ./mvnw -q test
                ```
                """), "Markdown with code blocks, incl. a ```bash fence, is an answer");
        assertFalse(call("```json\n{\"name\": \"codetether\", \"version\": \"1.0\"}\n```"),
                "JSON whose name is no offered tool is data, not a call");
        assertFalse(call("I used the bash tool and read_file earlier; everything is fine."),
                "naming a tool in prose is not calling it");
        assertFalse(call("call my_read_file(x) or read_file_all(y)"), "a tool name inside a longer identifier");
        assertFalse(call("   "));
    }

    @Test
    void noOfferedToolsMeansNoCall() {
        assertFalse(CallShape.looksLikeCall("<tool_call>{\"name\":\"x\"}</tool_call>", Set.of()));
    }
}
