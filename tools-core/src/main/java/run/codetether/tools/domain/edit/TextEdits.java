package run.codetether.tools.domain.edit;

import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolException.Code;

/** Exact-string replacement with the original's rules: the old string must occur exactly once. */
public final class TextEdits {

    private TextEdits() {}

    public static String replaceUnique(String content, String oldString, String newString, String shown) {
        if (oldString.isEmpty()) {
            throw ToolException.invalid("old_string must not be empty (to create a file use write_file)");
        }
        if (oldString.equals(newString)) {
            throw ToolException.invalid("old_string and new_string are identical; nothing to change in " + shown);
        }
        int first = content.indexOf(oldString);
        if (first < 0) {
            throw new ToolException(Code.NOT_FOUND, "old_string not found in " + shown
                    + ". Make sure it matches exactly, including whitespace and indentation; read_file shows the"
                    + " exact text" + nearMissHint(content, oldString));
        }
        int count = count(content, oldString);
        if (count > 1) {
            throw new ToolException(Code.AMBIGUOUS_MATCH, "old_string found " + count + " times in " + shown
                    + " (first at line " + lineOf(content, first) + "). Include more surrounding lines so it matches"
                    + " exactly one place");
        }
        return content.substring(0, first) + newString + content.substring(first + oldString.length());
    }

    public static int count(String content, String needle) {
        int n = 0;
        for (int i = content.indexOf(needle); i >= 0; i = content.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    public static int lineOf(String content, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (content.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String nearMissHint(String content, String oldString) {
        String squeezedOld = oldString.strip().replaceAll("\\s+", " ");
        if (!squeezedOld.isEmpty() && content.replaceAll("\\s+", " ").contains(squeezedOld)) {
            return " (a match exists when whitespace is ignored: check indentation, tabs and line endings)";
        }
        return "";
    }
}
