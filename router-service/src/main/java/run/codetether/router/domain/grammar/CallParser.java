package run.codetether.router.domain.grammar;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.platform.json.Json;

/** Reads calls back out of symbol text in either dialect. Throws {@link IllegalArgumentException} on bad text. */
public final class CallParser {

    /** One call as read: the tool name and its arguments. */
    public record ParsedCall(String name, JsonNode arguments) {}

    private static final String OPEN = "<tool_call>";
    private static final String CLOSE = "</tool_call>";

    private CallParser() {}

    /** Every complete call in {@code symbols}, in order. */
    public static List<ParsedCall> parse(String symbols, Dialect dialect) {
        return dialect == Dialect.JSON_TOOL_CALL ? parseJson(symbols) : parseFunctionGemma(symbols);
    }

    /** Reads the JSON value after each opening tag with a real parser, so a closing tag inside a string is text. */
    private static List<ParsedCall> parseJson(String text) {
        List<ParsedCall> calls = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf(OPEN, from);
            if (open < 0) {
                return calls;
            }
            int bodyStart = open + OPEN.length();
            JsonNode node;
            int bodyEnd;
            try (JsonParser parser = Json.mapper().createParser(text.substring(bodyStart))) {
                node = Json.mapper().readTree(parser);
                bodyEnd = bodyStart + (int) parser.currentLocation().getCharOffset();
            } catch (IOException e) {
                throw new IllegalArgumentException("call is not valid JSON: " + e.getMessage());
            }
            int close = bodyEnd;
            while (close < text.length() && Character.isWhitespace(text.charAt(close))) {
                close++;
            }
            if (!text.startsWith(CLOSE, close)) {
                return calls; // unclosed block: not a complete call
            }
            calls.add(jsonCall(node));
            from = close + CLOSE.length();
        }
    }

    /** A {@code {"name": .., "arguments": {..}}} object (also used by the fast path). */
    public static ParsedCall jsonCall(String json) {
        JsonNode node;
        try {
            node = Json.parse(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("call is not valid JSON: " + e.getOriginalMessage());
        }
        return jsonCall(node);
    }

    public static ParsedCall jsonCall(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("name").isTextual()) {
            throw new IllegalArgumentException("call must be an object with a string \"name\"");
        }
        JsonNode arguments = node.get("arguments");
        if (arguments == null) {
            arguments = node.get("parameters");
        }
        if (arguments != null && arguments.isTextual()) {
            try {
                arguments = Json.parse(arguments.asText()); // OpenAI style: arguments as a JSON string
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("call arguments string is not JSON: " + e.getOriginalMessage());
            }
        }
        if (arguments == null || arguments.isNull()) {
            arguments = JsonNodeFactory.instance.objectNode();
        }
        if (!arguments.isObject()) {
            throw new IllegalArgumentException("call arguments must be a JSON object");
        }
        return new ParsedCall(node.get("name").asText(), arguments);
    }

    private static List<ParsedCall> parseFunctionGemma(String symbols) {
        List<ParsedCall> calls = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = symbols.indexOf(Symbols.START_CALL, from);
            int close = open < 0 ? -1 : symbols.indexOf(Symbols.END_CALL, open);
            if (close < 0) {
                return calls;
            }
            calls.add(functionGemmaCall(symbols.substring(open + 1, close)));
            from = close + 1;
        }
    }

    /** {@code call:NAME{...}} (the text between the start and end call symbols). */
    public static ParsedCall functionGemmaCall(String body) {
        if (!body.startsWith("call:")) {
            throw new IllegalArgumentException("FunctionGemma call must start with 'call:'");
        }
        int brace = body.indexOf('{');
        if (brace < 0) {
            throw new IllegalArgumentException("FunctionGemma call has no arguments object");
        }
        String name = body.substring(5, brace);
        Reader reader = new Reader(body, brace);
        JsonNode arguments = reader.value(0);
        if (reader.pos != body.length() || !arguments.isObject()) {
            throw new IllegalArgumentException("FunctionGemma call has trailing text or non-object arguments");
        }
        return new ParsedCall(name, arguments);
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        JsonNode value(int depth) {
            if (depth > 64 || pos >= s.length()) {
                throw new IllegalArgumentException("FunctionGemma value truncated or too deep");
            }
            char c = s.charAt(pos);
            if (c == Symbols.ESCAPE) {
                int end = s.indexOf(Symbols.ESCAPE, pos + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated FunctionGemma string");
                }
                String text = s.substring(pos + 1, end);
                pos = end + 1;
                return TextNode.valueOf(text);
            }
            if (c == '{') {
                ObjectNode object = JsonNodeFactory.instance.objectNode();
                pos++;
                if (peek() == '}') {
                    pos++;
                    return object;
                }
                while (true) {
                    int colon = s.indexOf(':', pos);
                    if (colon < 0) {
                        throw new IllegalArgumentException("FunctionGemma key without ':'");
                    }
                    String key = s.substring(pos, colon);
                    pos = colon + 1;
                    object.set(key, value(depth + 1));
                    char next = take();
                    if (next == '}') {
                        return object;
                    }
                    if (next != ',') {
                        throw new IllegalArgumentException("expected ',' or '}' in FunctionGemma object");
                    }
                }
            }
            if (c == '[') {
                ArrayNode array = JsonNodeFactory.instance.arrayNode();
                pos++;
                if (peek() == ']') {
                    pos++;
                    return array;
                }
                while (true) {
                    array.add(value(depth + 1));
                    char next = take();
                    if (next == ']') {
                        return array;
                    }
                    if (next != ',') {
                        throw new IllegalArgumentException("expected ',' or ']' in FunctionGemma array");
                    }
                }
            }
            int end = pos;
            while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            String literal = s.substring(pos, end).strip();
            pos = end;
            try {
                JsonNode node = Json.parse(literal);
                if (node == null || !node.isValueNode() || node.isTextual()) {
                    throw new IllegalArgumentException("bad FunctionGemma literal: " + literal);
                }
                return node;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("bad FunctionGemma literal: " + literal);
            }
        }

        private char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        private char take() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("FunctionGemma value truncated");
            }
            return s.charAt(pos++);
        }
    }
}
