package run.codetether.router.infra.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import run.codetether.platform.json.Json;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.grammar.TokenVocabulary;

/**
 * Builds the grammar's view of a tokenizer once: every id decoded alone, special tokens mapped to control symbols
 * (stop tokens to END; FunctionGemma's call and escape tokens to theirs) or excluded, and ids whose text is a lone
 * partial UTF-8 byte (U+FFFD) excluded.
 */
public final class VocabularyLoader {

    /** Tokens that end the model's answer. */
    static final Set<String> STOP_TOKENS = Set.of("<eos>", "<end_of_turn>", "</s>", "<|endoftext|>",
            "<|im_end|>", "<start_function_response>");

    /** The vocabulary plus the ids the decoder needs. */
    public record Loaded(TokenVocabulary vocabulary, long padId, int tokenizerSize) {}

    private VocabularyLoader() {}

    public static Loaded load(Path tokenizerJson, DjlTextTokenizer tokenizer, int modelVocab) throws IOException {
        JsonNode root = Json.mapper().readTree(tokenizerJson.toFile());
        Map<Integer, JsonNode> added = new HashMap<>();
        int size = root.path("model").path("vocab").size();
        for (JsonNode token : root.path("added_tokens")) {
            int id = token.path("id").asInt();
            added.put(id, token);
            size = Math.max(size, id + 1);
        }
        // ids past the LM head (Gemma's <image_soft_token>) can never be sampled
        int usable = modelVocab > 0 ? Math.min(size, modelVocab) : size;
        String[] decoded = tokenizer.decodeEach(usable);
        String[] symbols = new String[usable];
        long padId = 0;
        for (int id = 0; id < usable; id++) {
            JsonNode special = added.get(id);
            if (special != null && special.path("special").asBoolean(false)) {
                String content = special.path("content").asText();
                symbols[id] = control(content);
                if ("<pad>".equals(content) || "[PAD]".equals(content)) {
                    padId = id;
                }
                continue;
            }
            String text = decoded[id];
            boolean usableText = text != null && !text.isEmpty() && text.indexOf('\uFFFD') < 0
                    && text.chars().noneMatch(c -> Symbols.isControl((char) c));
            symbols[id] = usableText ? text : null;
        }
        return new Loaded(new TokenVocabulary(symbols), padId, size);
    }

    private static String control(String content) {
        if (STOP_TOKENS.contains(content)) {
            return String.valueOf(Symbols.END);
        }
        return switch (content) {
            case Symbols.START_CALL_TEXT -> String.valueOf(Symbols.START_CALL);
            case Symbols.END_CALL_TEXT -> String.valueOf(Symbols.END_CALL);
            case Symbols.ESCAPE_TEXT -> String.valueOf(Symbols.ESCAPE);
            default -> null;
        };
    }
}
