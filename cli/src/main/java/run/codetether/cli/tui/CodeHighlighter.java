package run.codetether.cli.tui;

import java.util.Set;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours one line of code in a fenced block: comments, strings, numbers and the keywords of the common languages
 * (one keyword set covers Java, Kotlin, Rust, Go, Python, JS/TS, C-likes and shell; a lexer per language would cost
 * start-up time for little gain in a chat pane). Diff blocks colour added and removed lines.
 */
public final class CodeHighlighter {
    private static final Set<String> KEYWORDS = Set.of(
            "abstract", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "def", "default",
            "defer", "del", "do", "elif", "else", "enum", "export", "extends", "false", "final", "finally", "fn", "for",
            "from", "func", "function", "go", "if", "impl", "implements", "import", "in", "interface", "is", "lambda",
            "let", "loop", "match", "mod", "mut", "new", "nil", "None", "not", "null", "or", "and", "package", "private",
            "protected", "pub", "public", "raise", "record", "return", "sealed", "self", "static", "struct", "super",
            "switch", "this", "throw", "throws", "trait", "true", "True", "False", "try", "type", "use", "val", "var",
            "void", "while", "with", "yield", "int", "long", "boolean", "char", "double", "float", "string", "String",
            "fi", "then", "done", "esac", "echo");

    private CodeHighlighter() {}

    public static AttributedString line(String code, String lang, Theme theme) {
        AttributedStyle base = theme.fg(theme.foreground() == null ? new int[] {7} : theme.foreground());
        AttributedStringBuilder b = new AttributedStringBuilder();
        if (lang.equals("diff") || lang.equals("patch")) {
            AttributedStyle s = code.startsWith("+") ? theme.fg(theme.user()) : code.startsWith("-") ? theme.fg(theme.error())
                    : code.startsWith("@@") ? theme.fg(theme.assistant()) : base;
            return new AttributedString(code, s);
        }
        AttributedStyle keyword = theme.fg(theme.tool()).bold();
        AttributedStyle string = theme.fg(theme.user());
        AttributedStyle number = theme.fg(theme.system());
        AttributedStyle comment = theme.dim().italic();
        String lineComment = lang.equals("python") || lang.equals("py") || lang.equals("sh") || lang.equals("bash")
                || lang.equals("shell") || lang.equals("yaml") || lang.equals("toml") || lang.equals("ruby") ? "#" : "//";
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (code.startsWith(lineComment, i) || code.startsWith("--", i) && lang.equals("sql")) {
                b.styled(comment, code.substring(i));
                break;
            }
            if (c == '"' || c == '\'' || c == '`') {
                int j = i + 1;
                while (j < n && code.charAt(j) != c) {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(n, j + 1);
                b.styled(string, code.substring(i, j));
                i = j;
            } else if (Character.isDigit(c)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(code.charAt(j)) || code.charAt(j) == '.' || code.charAt(j) == '_')) {
                    j++;
                }
                b.styled(number, code.substring(i, j));
                i = j;
            } else if (Character.isJavaIdentifierStart(c)) {
                int j = i;
                while (j < n && Character.isJavaIdentifierPart(code.charAt(j))) {
                    j++;
                }
                String word = code.substring(i, j);
                b.styled(KEYWORDS.contains(word) ? keyword : base, word);
                i = j;
            } else {
                b.styled(base, String.valueOf(c));
                i++;
            }
        }
        return b.toAttributedString();
    }
}
