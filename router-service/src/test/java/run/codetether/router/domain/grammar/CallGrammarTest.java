package run.codetether.router.domain.grammar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import run.codetether.router.domain.TestTools;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.decode.Sampler;
import run.codetether.router.domain.grammar.CallParser.ParsedCall;
import run.codetether.router.domain.schema.SchemaValidator;

class CallGrammarTest {

    private static final List<ToolSpec> TOOLS = TestTools.tools();
    private static final TokenVocabulary VOCAB = TestTools.vocabulary();

    private static CallGrammar grammar(Dialect d) {
        return new CallGrammar(d, TOOLS, 4);
    }

    @Test
    void acceptsValidJsonCallsAndRejectsSchemaViolations() {
        GrammarState start = grammar(Dialect.JSON_TOOL_CALL).initialState();
        String ok = "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"/tmp/a b\", \"limit\": 10}}\n"
                + "</tool_call>" + Symbols.END;
        GrammarState end = start.feed(ok);
        assertTrue(end.finished());
        assertEquals(1, end.completeCalls());

        assertNull(start.feed("<tool_call>{\"name\": \"read_file\", \"arguments\": {\"limit\": 1}}"),
                "missing required path");
        assertNull(start.feed("<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": 3"), "path is a string");
        assertNull(start.feed("<tool_call>{\"name\": \"read_file\", \"arguments\": {\"path\": \"a\", \"limit\": 1.5"),
                "limit is an integer");
        assertNull(start.feed("<tool_call>{\"name\": \"rm\""), "unknown tool");
        assertNull(start.feed("<tool_call>{\"name\": \"bash\", \"arguments\": {\"command\": \"ls\", \"x\""),
                "undeclared key");
        assertNull(start.feed("<tool_call>{\"name\": \"todo_write\", \"arguments\": {\"todos\": [{\"content\": \"a\", "
                + "\"status\": \"done\""), "status outside its enum");
        assertNull(start.feed("<tool_call>{\"name\": \"bash\", \"arguments\": {\"command\": \"ls\", \"command\""),
                "a key twice");
        assertNotNull(start.feed("<tool_call>{\"name\": \"todo_write\", \"arguments\": {\"todos\": [{\"content\": "
                + "\"a\\\"q\\u00e9\", \"status\": \"pending\", \"priority\": null}]}}</tool_call>" + Symbols.END));
        assertNotNull(start.feed("<tool_call>{\"name\": \"list_dir\", \"arguments\": {}}</tool_call>"));
    }

    @Test
    void mcpToolsAreHeldToTheSchemaTheirServerPublishedInBothDialects() {
        GrammarState json = new CallGrammar(Dialect.JSON_TOOL_CALL, TestTools.mcpTools(), 4).initialState();
        GrammarState end = json.feed("<tool_call>{\"name\": \"mcp__docs__search\", \"arguments\": {\"query\": "
                + "\"retry policy\", \"scope\": \"api\"}}</tool_call>" + Symbols.END);
        assertTrue(end.finished());
        assertEquals(1, end.completeCalls());
        assertNotNull(json.feed("<tool_call>{\"name\": \"mcp__git-server__log\", \"arguments\": {\"repo\": "
                + "{\"path\": \"/w\", \"branch\": null}}}</tool_call>" + Symbols.END));
        assertNull(json.feed("<tool_call>{\"name\": \"mcp__docs__search\", \"arguments\": {\"limit\": 2}}"),
                "query is required");
        assertNull(json.feed("<tool_call>{\"name\": \"mcp__docs__search\", \"arguments\": {\"query\": \"a\", "
                + "\"scope\": \"blog\""), "scope outside the server's enum");
        assertNull(json.feed("<tool_call>{\"name\": \"mcp__docs__search\", \"arguments\": {\"query\": \"a\", "
                + "\"x\""), "a key the server did not declare");
        assertNull(json.feed("<tool_call>{\"name\": \"mcp__git-server__log\", \"arguments\": {\"repo\": {}}"),
                "the nested path is required");
        assertNull(json.feed("<tool_call>{\"name\": \"mcp__docs__fetch\""), "a tool the server does not offer");
        assertNull(json.feed("<tool_call>{\"name\": \"read_file\""), "only the offered tools");

        GrammarState gemma = new CallGrammar(Dialect.FUNCTION_GEMMA, TestTools.mcpTools(), 4).initialState();
        char e = Symbols.ESCAPE;
        String call = Symbols.START_CALL + "call:mcp__docs__search{query:" + e + "retry" + e + ",limit:3}"
                + Symbols.END_CALL;
        assertEquals(1, gemma.feed(call + Symbols.END).completeCalls());
        ParsedCall parsed = CallParser.parse(call, Dialect.FUNCTION_GEMMA).getFirst();
        assertEquals("mcp__docs__search", parsed.name());
        assertEquals(3, parsed.arguments().get("limit").asInt());
        assertNull(gemma.feed(Symbols.START_CALL + "call:mcp__docs__search{limit:1}"), "query is required");
    }

    @Test
    void noCallIsAlwaysPossible() {
        for (Dialect d : Dialect.values()) {
            GrammarState end = grammar(d).initialState().feed(Symbols.END);
            assertTrue(end.finished());
            assertEquals(0, end.completeCalls());
        }
    }

    @Test
    void functionGemmaFormatUsesEscapeSymbolsAndBareKeys() {
        GrammarState start = grammar(Dialect.FUNCTION_GEMMA).initialState();
        char e = Symbols.ESCAPE;
        String call = Symbols.START_CALL + "call:bash{command:" + e + "echo \"hi\"\n" + e + ",timeout:2.5}"
                + Symbols.END_CALL;
        GrammarState end = start.feed(call + Symbols.END);
        assertEquals(1, end.completeCalls());
        ParsedCall parsed = CallParser.parse(call, Dialect.FUNCTION_GEMMA).getFirst();
        assertEquals("bash", parsed.name());
        assertEquals("echo \"hi\"\n", parsed.arguments().get("command").asText());
        assertEquals(2.5, parsed.arguments().get("timeout").asDouble());
        assertNull(start.feed(Symbols.START_CALL + "call:bash{command:\"ls\""), "strings need the escape symbol");
        assertNull(start.feed(Symbols.START_CALL + "call:bash{timeout:1}"), "command is required");
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void trieMaskEqualsCheckingEveryTokenAlone(Dialect d) {
        SplittableRandom random = new SplittableRandom(7);
        for (int run = 0; run < 40; run++) {
            GrammarState state = grammar(d).initialState();
            for (int step = 0; step < 60 && !state.finished(); step++) {
                BitSet fast = VOCAB.allowed(state);
                BitSet brute = new BitSet();
                for (int id = 0; id < VOCAB.size(); id++) {
                    if (VOCAB.symbol(id) != null && state.feed(VOCAB.symbol(id)) != null) {
                        brute.set(id);
                    }
                }
                assertEquals(brute, fast, "mask at step " + step);
                int id = Sampler.pick(biasedLogits(random, state), fast, 1f, random);
                state = state.feed(VOCAB.symbol(id));
            }
        }
    }

    /**
     * The property: whatever the logits, a generation that stops holds only calls of offered tools whose
     * arguments satisfy the schema. Random logits push toward closing symbols so that many runs finish.
     */
    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyFinishedRandomGenerationIsASchemaValidCall(Dialect d) {
        Map<String, ToolSpec> byName = new HashMap<>();
        TOOLS.forEach(t -> byName.put(t.name(), t));
        SplittableRandom random = new SplittableRandom(11);
        int withCalls = 0;
        int noCall = 0;
        for (int run = 0; run < 300; run++) {
            GrammarState state = grammar(d).initialState();
            StringBuilder out = new StringBuilder();
            for (int step = 0; step < 400 && !state.finished(); step++) {
                int id = Sampler.pick(biasedLogits(random, state), VOCAB.allowed(state), 1f, random);
                assertTrue(id >= 0, "the grammar never dead-ends on this vocabulary: " + out);
                state = state.feed(VOCAB.symbol(id));
                out.append(VOCAB.symbol(id));
            }
            if (!state.finished()) {
                continue;
            }
            List<ParsedCall> calls = CallParser.parse(out.toString(), d);
            assertEquals(state.completeCalls(), calls.size(), out.toString());
            for (ParsedCall call : calls) {
                ToolSpec tool = byName.get(call.name());
                assertNotNull(tool, out.toString());
                assertEquals(List.of(), SchemaValidator.validate(call.arguments(), tool.arguments()),
                        Symbols.toText(out.toString()));
            }
            if (calls.isEmpty()) {
                noCall++;
            } else {
                withCalls++;
            }
        }
        assertTrue(withCalls >= 100, "finished runs with calls: " + withCalls);
        assertTrue(noCall >= 1, "no-call runs: " + noCall);
    }

    private static float[] biasedLogits(SplittableRandom random, GrammarState state) {
        float[] logits = new float[VOCAB.size()];
        for (int id = 0; id < logits.length; id++) {
            String s = VOCAB.symbol(id);
            logits[id] = (float) random.nextGaussian();
            if (s != null && s.chars().anyMatch(c -> "\"}],".indexOf(c) >= 0 || c == Symbols.ESCAPE
                    || c == Symbols.END_CALL || c == '<' || c == Symbols.START_CALL)) {
                logits[id] += 3f;
            }
            if (s != null && s.indexOf(Symbols.END) >= 0) {
                logits[id] += state.completeCalls() > 0 ? 4f : -1f;
            }
        }
        return logits;
    }
}
