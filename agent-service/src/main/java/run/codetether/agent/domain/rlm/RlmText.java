package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.List;

/** Reading commands and FINAL out of a text-only model reply (the original's legacy DSL path). */
final class RlmText {
    private static final String[] COMMAND_STARTS = {"head(", "tail(", "grep(", "count(", "slice(", "lines(", "chunk(",
        "chunks(", "llm_query(", "FINAL(", "FINAL!(", "let ", "const ", "var ", "print", "console."};

    private RlmText() {}

    /** The fenced code blocks of the reply; without any, the lines that start like a command (as the original). */
    static String extractCode(String text) {
        List<String> code = new ArrayList<>();
        boolean inBlock = false;
        boolean sawBlock = false;
        for (String line : text.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                inBlock = !inBlock;
                sawBlock = true;
                continue;
            }
            if (inBlock) {
                code.add(line);
            }
        }
        if (sawBlock) {
            return String.join("\n", code);
        }
        for (String line : text.split("\n", -1)) {
            String l = line.trim();
            for (String start : COMMAND_STARTS) {
                if (l.startsWith(start)) {
                    code.add(l);
                    break;
                }
            }
        }
        return String.join("\n", code);
    }

    /** {@code FINAL("...")} anywhere in the reply, the quoted text possibly spanning lines; null when absent. */
    static String extractFinal(String text) {
        int at = text.indexOf("FINAL");
        while (at >= 0) {
            int open = text.indexOf('(', at);
            if (open > 0 && text.substring(at + 5, open).replace("!", "").isBlank()) {
                int q = open + 1;
                while (q < text.length() && Character.isWhitespace(text.charAt(q))) {
                    q++;
                }
                if (q < text.length() && "\"'`".indexOf(text.charAt(q)) >= 0) {
                    char quote = text.charAt(q);
                    int close = text.indexOf(quote, q + 1);
                    if (close > q + 1) {
                        return text.substring(q + 1, close);
                    }
                }
            }
            at = text.indexOf("FINAL", at + 5);
        }
        return null;
    }
}
