package run.codetether.router.domain.prompt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Locale;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.grammar.Dialect;
import run.codetether.router.domain.grammar.Encoding;
import run.codetether.router.domain.grammar.Symbols;

/**
 * The prompt templates, selected by {@code CODETETHER_TOOL_ROUTER_ARCH}: {@code gemma3} is the original's
 * {@code <tools>} + {@code <tool_call>} JSON template; {@code functiongemma} is FunctionGemma's own developer turn
 * with {@code <start_function_declaration>} blocks.
 */
public enum PromptFormat {
    GEMMA3("gemma3", Dialect.JSON_TOOL_CALL),
    FUNCTIONGEMMA("functiongemma", Dialect.FUNCTION_GEMMA);

    private final String id;
    private final Dialect dialect;

    PromptFormat(String id, Dialect dialect) {
        this.id = id;
        this.dialect = dialect;
    }

    public String id() {
        return id;
    }

    public Dialect dialect() {
        return dialect;
    }

    public static PromptFormat of(String arch) {
        for (PromptFormat f : values()) {
            if (f.id.equalsIgnoreCase(arch.strip())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown router arch '" + arch + "' (expected gemma3 or functiongemma)");
    }

    /** The whole prompt, ending where the model starts its answer. */
    public String render(String text, List<ToolSpec> tools) {
        String userText = text.replace("<start_of_turn>", "").replace("<end_of_turn>", "");
        return this == GEMMA3 ? gemma3(userText, tools) : functionGemma(userText, tools);
    }

    private static String gemma3(String text, List<ToolSpec> tools) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        for (ToolSpec t : tools) {
            ObjectNode def = list.addObject();
            def.put("name", t.name());
            def.put("description", t.description());
            def.set("parameters", t.rawSchema() == null ? JsonNodeFactory.instance.objectNode() : t.rawSchema());
        }
        return "<start_of_turn>system\n"
                + "You are a function calling AI model. You are provided with function signatures within "
                + "<tools></tools> XML tags. You may call one or more functions to assist with the user query. "
                + "Don't make assumptions about what values to plug into functions.\n\n"
                + "<tools>\n" + list.toPrettyString() + "\n</tools>\n\n"
                + "For each function call return a JSON object with function name and arguments within "
                + "<tool_call></tool_call> XML tags as follows:\n"
                + "<tool_call>\n{\"name\": \"function_name\", \"arguments\": {\"arg1\": \"value1\"}}\n</tool_call>\n"
                + "<end_of_turn>\n"
                + "<start_of_turn>user\n" + text + "\n<end_of_turn>\n"
                + "<start_of_turn>model\n";
    }

    private static String functionGemma(String text, List<ToolSpec> tools) {
        StringBuilder out = new StringBuilder("<start_of_turn>developer\n")
                .append("You are a model that can do function calling with the following functions");
        for (ToolSpec t : tools) {
            ObjectNode declaration = JsonNodeFactory.instance.objectNode();
            declaration.put("description", t.description());
            if (t.rawSchema() != null && t.rawSchema().isObject()) {
                declaration.set("parameters", upperTypes(t.rawSchema()));
            }
            out.append("<start_function_declaration>declaration:").append(t.name())
                    .append(Symbols.toText(Encoding.value(declaration, Dialect.FUNCTION_GEMMA)))
                    .append("<end_function_declaration>");
        }
        return out.append("<end_of_turn>\n<start_of_turn>user\n").append(text)
                .append("<end_of_turn>\n<start_of_turn>model\n").toString();
    }

    /** FunctionGemma's declarations write types upper case (STRING, OBJECT), as Gemini's schema does. */
    private static JsonNode upperTypes(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(),
                    "type".equals(e.getKey()) && e.getValue().isTextual()
                            ? TextNode.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))
                            : upperTypes(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> copy.add(upperTypes(v)));
            return copy;
        }
        return node;
    }
}
