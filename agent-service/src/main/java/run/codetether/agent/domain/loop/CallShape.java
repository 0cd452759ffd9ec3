package run.codetether.agent.domain.loop;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a text-only answer looks like it meant to call a tool. router-service costs CPU (and an ONNX decode when
 * its model runs) per request, and most text-only answers are plain final answers; asking it only for text that
 * carries the shape of a call keeps the common case free. The check errs towards "yes": a false positive costs one
 * router call that finds nothing, a false negative loses a call a small model wrote out.
 *
 * <p>Shapes recognised: call tags ({@code <tool_call>}, {@code <function=..>}, {@code <start_function_call>},
 * {@code <function_call>}, {@code <tool_use>}); a JSON object, bare or fenced, with a {@code name}, {@code tool},
 * {@code tool_name} or {@code function} key whose value is an offered tool; an offered tool's name followed on the
 * same line by {@code (} or <code>{</code>.
 */
public final class CallShape {
    private static final String[] TAGS = {"<tool_call>", "<function=", "<start_function_call>", "<function_call>",
        "<tool_use>"};
    private static final Pattern JSON_NAME_KEY =
            Pattern.compile("\"(?:name|tool|tool_name|function)\"\\s*:\\s*\"([^\"\\\\]{1,128})\"");
    private static final Pattern WORD_THEN_PAREN = Pattern.compile("([A-Za-z_][A-Za-z0-9_.-]{0,127})[ \\t]*[({]");

    private CallShape() {}

    /** True when {@code text} looks like an intended call to one of {@code toolNames}; false for no tools. */
    public static boolean looksLikeCall(String text, Set<String> toolNames) {
        if (text == null || text.isBlank() || toolNames.isEmpty()) {
            return false;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (String tag : TAGS) {
            if (lower.contains(tag)) {
                return true;
            }
        }
        Matcher json = JSON_NAME_KEY.matcher(text);
        while (json.find()) {
            if (toolNames.contains(json.group(1).strip())) {
                return true;
            }
        }
        Matcher word = WORD_THEN_PAREN.matcher(text);
        while (word.find()) {
            if (toolNames.contains(word.group(1)) && startsWord(text, word.start(1))) {
                return true;
            }
        }
        return false;
    }

    /** The match is a whole identifier, not the tail of a longer one ({@code my_read_file(} is not read_file). */
    private static boolean startsWord(String text, int start) {
        if (start == 0) {
            return true;
        }
        char before = text.charAt(start - 1);
        return !(Character.isLetterOrDigit(before) || before == '_' || before == '.' || before == '-');
    }
}
