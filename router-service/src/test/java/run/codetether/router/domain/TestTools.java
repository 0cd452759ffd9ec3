package run.codetether.router.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.grammar.TokenVocabulary;
import run.codetether.router.domain.schema.SchemaParser;

/** Tools with the schema features the router supports, and a small synthetic vocabulary, for domain tests. */
public final class TestTools {

    private TestTools() {}

    public static ToolSpec tool(String name, String schemaJson) {
        try {
            JsonNode schema = schemaJson == null ? null : Json.parse(schemaJson);
            return new ToolSpec(name, "the " + name + " tool", schema, SchemaParser.parseArguments(schema));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static List<ToolSpec> tools() {
        return List.of(
                tool("read_file", """
                        {"type":"object","properties":{"path":{"type":"string"},
                         "offset":{"type":"integer"},"limit":{"type":"integer"}},"required":["path"]}"""),
                tool("bash", """
                        {"type":"object","properties":{"command":{"type":"string"},
                         "timeout":{"type":"number"},"background":{"type":"boolean"}},
                         "required":["command"],"additionalProperties":false}"""),
                tool("todo_write", """
                        {"type":"object","properties":{"todos":{"type":"array","items":{"type":"object",
                         "properties":{"content":{"type":"string"},
                          "status":{"enum":["pending","in_progress","completed"]},
                          "priority":{"type":["integer","null"]}},
                         "required":["content","status"]}}},"required":["todos"]}"""),
                tool("question", """
                        {"type":"object","properties":{"text":{"type":"string"},"meta":{"type":"object"},
                         "level":{"const":3}},"required":["text","level"]}"""),
                tool("list_dir", null));
    }

    /**
     * MCP servers' tools as the agent offers them (issue 17): named {@code mcp__<server>__<tool>}, with the schema the
     * server published, as MCP SDKs write it ({@code $schema}, {@code additionalProperties: false}, descriptions,
     * nested objects and enums).
     */
    public static List<ToolSpec> mcpTools() {
        return List.of(
                tool("mcp__docs__search", """
                        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object",
                         "properties":{"query":{"type":"string","description":"what to look for"},
                          "limit":{"type":"integer","description":"at most this many hits"},
                          "scope":{"type":"string","enum":["api","guides"]}},
                         "required":["query"],"additionalProperties":false}"""),
                tool("mcp__git-server__log", """
                        {"type":"object","properties":{"repo":{"type":"object",
                          "properties":{"path":{"type":"string"},"branch":{"type":["string","null"]}},
                          "required":["path"],"additionalProperties":false},
                          "max_count":{"type":"number"}},
                         "required":["repo"],"additionalProperties":false}"""));
    }

    /**
     * Every printable ASCII character, the FunctionGemma control symbols, the stop symbol, and multi-character
     * tokens that cross JSON boundaries (as real vocabularies have).
     */
    public static TokenVocabulary vocabulary() {
        List<String> symbols = new ArrayList<>();
        symbols.add(String.valueOf(Symbols.END));
        symbols.add(String.valueOf(Symbols.START_CALL));
        symbols.add(String.valueOf(Symbols.END_CALL));
        symbols.add(String.valueOf(Symbols.ESCAPE));
        for (char c = 0x20; c < 0x7f; c++) {
            symbols.add(String.valueOf(c));
        }
        symbols.add("\n");
        symbols.add("é");
        symbols.addAll(List.of("<tool_call>", "</tool_call>", "{\"", "\":", "\": ", "\", \"", "\"}", "\"}}", "}}",
                "\"name\"", "\"arguments\"", "read", "_file", "path", "bash", "command", "true", "false", "null",
                "pending", "status", "content", "todos", "call:", "ls -la", " the", "\\n", "\\\"", "12", "0.5", "],",
                "\"}]", ":{", "text", "level", "\u00ff", "}" + Symbols.END_CALL, Symbols.ESCAPE + ","));
        return new TokenVocabulary(symbols.toArray(String[]::new));
    }
}
