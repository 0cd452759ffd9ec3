package run.codetether.router.domain.grammar;

/**
 * The grammar reads one alphabet: text characters plus control tokens mapped to private-use characters, so that a
 * single-id control token (FunctionGemma's {@code <escape>}) is one symbol, never the seven characters of its name.
 */
public final class Symbols {

    /** Any stop token ({@code <eos>}, {@code <end_of_turn>}, {@code <start_function_response>}). */
    public static final char END = '\uE000';
    public static final char START_CALL = '\uE001';
    public static final char END_CALL = '\uE002';
    public static final char ESCAPE = '\uE003';

    public static final String START_CALL_TEXT = "<start_function_call>";
    public static final String END_CALL_TEXT = "<end_function_call>";
    public static final String ESCAPE_TEXT = "<escape>";

    private Symbols() {}

    /** True for the private-use range reserved for control tokens (text tokens holding it are never allowed). */
    public static boolean isControl(char c) {
        return c >= '\uE000' && c <= '\uE0FF';
    }

    /** Maps the written names of FunctionGemma's control tokens in plain text to their symbols. */
    public static String fromText(String text) {
        return text.replace(START_CALL_TEXT, String.valueOf(START_CALL))
                .replace(END_CALL_TEXT, String.valueOf(END_CALL))
                .replace(ESCAPE_TEXT, String.valueOf(ESCAPE));
    }

    /** The inverse of {@link #fromText}, for logs and prompts. */
    public static String toText(String symbols) {
        return symbols.replace(String.valueOf(START_CALL), START_CALL_TEXT)
                .replace(String.valueOf(END_CALL), END_CALL_TEXT)
                .replace(String.valueOf(ESCAPE), ESCAPE_TEXT)
                .replace(String.valueOf(END), "");
    }
}
