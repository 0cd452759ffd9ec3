package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;

/** The prompt being typed: a one-line editor with a cursor and a history (Ctrl+Up/Down, as the original). */
public final class InputLine {
    private final StringBuilder text = new StringBuilder();
    private final List<String> history = new ArrayList<>();
    private int cursor;
    private int historyIndex = -1;

    public String text() {
        return text.toString();
    }

    public int cursor() {
        return cursor;
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    public void insert(String s) {
        text.insert(cursor, s);
        cursor += s.length();
    }

    public void backspace() {
        if (cursor > 0) {
            int before = Character.isLowSurrogate(text.charAt(cursor - 1)) && cursor > 1 ? 2 : 1;
            text.delete(cursor - before, cursor);
            cursor -= before;
        }
    }

    public void delete() {
        if (cursor < text.length()) {
            text.deleteCharAt(cursor);
        }
    }

    public void left() {
        cursor = Math.max(0, cursor - 1);
    }

    public void right() {
        cursor = Math.min(text.length(), cursor + 1);
    }

    public void home() {
        cursor = 0;
    }

    public void end() {
        cursor = text.length();
    }

    /** Ctrl+U: clears the line. */
    public void clear() {
        text.setLength(0);
        cursor = 0;
    }

    /** Ctrl+W: deletes the word before the cursor. */
    public void deleteWord() {
        int i = cursor;
        while (i > 0 && text.charAt(i - 1) == ' ') {
            i--;
        }
        while (i > 0 && text.charAt(i - 1) != ' ') {
            i--;
        }
        text.delete(i, cursor);
        cursor = i;
    }

    /** Takes the line (for sending) and records it in the history. */
    public String take() {
        String s = text.toString();
        if (!s.isBlank() && (history.isEmpty() || !history.get(history.size() - 1).equals(s))) {
            history.add(s);
        }
        historyIndex = -1;
        clear();
        return s;
    }

    /** -1 older, +1 newer. */
    public void history(int direction) {
        if (history.isEmpty()) {
            return;
        }
        if (historyIndex < 0) {
            historyIndex = direction < 0 ? history.size() - 1 : -1;
        } else {
            historyIndex += direction;
        }
        if (historyIndex < 0 || historyIndex >= history.size()) {
            historyIndex = -1;
            clear();
            return;
        }
        text.setLength(0);
        text.append(history.get(historyIndex));
        cursor = text.length();
    }
}
