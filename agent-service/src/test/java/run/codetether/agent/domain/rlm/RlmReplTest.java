package run.codetether.agent.domain.rlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The REPL's command language: every command, and a clear error for every bad one. */
class RlmReplTest {
    static final String TEXT = IntStream.rangeClosed(1, 100).mapToObj(i -> "line " + i + (i % 10 == 0 ? " TEN" : ""))
            .collect(Collectors.joining("\n")) + "\n";
    final List<String> asked = new ArrayList<>();
    final RlmRepl repl = new RlmRepl(new RlmContent(TEXT), 2_000, (q, ctx) -> {
        asked.add(q + "|" + (ctx == null ? "ALL" : ctx));
        return "answer to " + q;
    });

    @Test
    void commandsReadTheContent() throws Exception {
        assertEquals("line 1\nline 2", repl.execute("head(2)").text());
        assertEquals("line 99\nline 100 TEN", repl.execute("tail(2)").text());
        assertEquals("10:line 10 TEN\n20:line 20 TEN", repl.execute("grep(\"(1|2)0 TEN\")").text());
        assertEquals("10", repl.execute("count('TEN')").text());
        assertEquals("line 1", repl.execute("slice(0, 6)").text());
        assertEquals("Lines: 100", repl.execute("lines()").text());
        assertEquals("[4 chunks of 25 lines each; read one with chunk(i, 4)]", repl.execute("chunks(4)").text());
        assertTrue(repl.execute("chunk(1, 4)").text().startsWith("[chunk 1 of 4: lines 26-50]\nline 26\n"));
        assertEquals("(no matches)", repl.execute("grep(\"nowhere\")").text());
    }

    @Test
    void variablesPrintCommentsAndSubQueries() throws Exception {
        RlmRepl.Output out = repl.execute("""
                // a comment
                let part = chunk(0, 50)
                print(part)
                x = llm_query("what is it?", part);
                print(x)
                llm_query("all?")
                """);
        assertEquals("[chunk 0 of 50: lines 1-2]\nline 1\nline 2\nanswer to what is it?\nllm_query result: answer to all?",
                out.text());
        assertEquals(List.of("what is it?|[chunk 0 of 50: lines 1-2]\nline 1\nline 2", "all?|ALL"), asked);
    }

    @Test
    void finalEndsTheBlockAndMaySpanLines() throws Exception {
        assertEquals("42", repl.execute("head(1)\nFINAL(\"42\")\nhead(3)").finalAnswer());
        assertEquals("two\nlines", repl.execute("FINAL(\"two\nlines\")").finalAnswer());
        assertEquals("raw answer (with parens)", repl.execute("FINAL(raw answer (with parens))").finalAnswer());
        repl.execute("let a = head(1)");
        assertEquals("line 1", repl.execute("FINAL(a)").finalAnswer());
    }

    @Test
    void everyBadCommandGetsAClearErrorAndTheBlockGoesOn() throws Exception {
        RlmRepl.Output out = repl.execute("""
                foo(1)
                head("x")
                grep()
                slice(5, 2)
                chunk(3, 2)
                head(1) tail(1)
                grep("unterminated)
                nothing_defined
                head(1
                %%%
                llm_query("")
                lines()
                """);
        assertTrue(out.error());
        String t = out.text();
        assertTrue(t.contains("Error: line 1: unknown command 'foo'"), t);
        assertTrue(t.contains("Error: line 2: head: argument 1 must be an integer, got 'x'"), t);
        assertTrue(t.contains("Error: line 3: grep takes 1 argument, got 0"), t);
        assertTrue(t.contains("Error: line 4: slice(start, end): end 2 is before start 5"), t);
        assertTrue(t.contains("Error: line 5: chunk: argument 1 must be between 0 and 1, got 3"), t);
        assertTrue(t.contains("Error: line 6: unexpected 'tail(1)' after the command"), t);
        assertTrue(t.contains("Error: line 7: unterminated string"), t);
        assertTrue(t.contains("Error: line 8: unknown name 'nothing_defined'"), t);
        assertTrue(t.contains("Error: line 9: missing ')'"), t);
        assertTrue(t.contains("Error: line 10: cannot parse '%%%'"), t);
        assertTrue(t.contains("Error: line 11: llm_query: the first argument must not be empty"), t);
        assertTrue(t.endsWith("Lines: 100"), "a bad line does not stop the block: " + t);
        assertTrue(asked.isEmpty());
    }

    @Test
    void anInvalidRegexIsMatchedLiterallyAndSaysSo() throws Exception {
        String t = repl.execute("grep(\"line 1(\")").text();
        assertTrue(t.startsWith("(not a valid regex:"), t);
        assertTrue(t.endsWith("(no matches)"), t);
    }

    @Test
    void aCatastrophicPatternFailsWithAnErrorInsteadOfSpinning() throws Exception {
        RlmRepl r = new RlmRepl(new RlmContent("a".repeat(5_000) + "!"), 2_000, (q, c) -> "");
        RlmRepl.Output out = r.execute("count(\"(a|a)*(a|a)*(a|a)*b\")");
        assertTrue(out.error());
        assertTrue(out.text().contains("too expensive"), out.text());
    }

    @Test
    void outputsAreCutAtTheStepLimit() throws Exception {
        RlmRepl small = new RlmRepl(new RlmContent(TEXT), 200, (q, c) -> "");
        String t = small.execute("head(100)").text();
        assertTrue(t.contains("[output cut at 200 of "), t);
        assertTrue(t.length() < 320);
    }

    @Test
    void structuredCallsMapOntoTheSameCommandsAndCheckTheirArguments() throws Exception {
        assertEquals("line 1\nline 2\nline 3", RlmTools.dispatch("rlm_head", "{\"n\":3}", repl).text());
        assertEquals("line 3\nline 4", RlmTools.dispatch("rlm_slice", "{\"start\":2,\"end\":4}", repl).text());
        assertEquals("10", RlmTools.dispatch("rlm_count", "{\"pattern\":\"TEN\"}", repl).text());
        assertEquals("done", RlmTools.dispatch("rlm_final", "{\"answer\":\"done\"}", repl).finalAnswer());
        assertEquals("answer to q", RlmTools.dispatch("rlm_llm_query", "{\"query\":\"q\",\"context_slice\":\"abc\"}", repl).text());
        assertEquals(List.of("q|abc"), asked);
        assertBad("rlm_slice", "{\"start\":1}", "rlm_slice needs integer 'start' and 'end'");
        assertBad("rlm_grep", "{}", "rlm_grep needs a non-empty string 'pattern'");
        assertBad("rlm_head", "{\"n\":\"many\"}", "rlm_head: 'n' must be a non-negative integer");
        assertBad("rlm_head", "{\"n\":-3}", "rlm_head: 'n' must be a non-negative integer");
        assertBad("rlm_final", "{}", "rlm_final needs a non-empty string 'answer'");
        assertBad("rlm_llm_query", "{\"query\":\"q\",\"context_slice\":5}", "'context_slice' must be a string");
        assertBad("rlm_explode", "{}", "Unknown tool: rlm_explode");
        assertBad("rlm_head", "[1]", "must be a JSON object");
        assertBad("rlm_head", "{not json", "not valid JSON");
    }

    private void assertBad(String tool, String args, String expected) throws Exception {
        RlmRepl.Output out = RlmTools.dispatch(tool, args, repl);
        assertTrue(out.error(), tool + " " + args);
        assertNull(out.finalAnswer());
        assertTrue(out.text().contains(expected), out.text());
        assertFalse(out.text().isBlank());
    }
}
