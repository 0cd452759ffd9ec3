package run.codetether.cli.worker;

import java.util.Locale;

/**
 * {@code --auto-approve}: what the worker lets run without a person's yes. The platform applies the stricter of
 * this and the task's access mode: {@code none} = ask before every mutating call ({@code ask}), {@code safe} = run
 * read-only tools, ask before edits, bash and network ({@code approve}), {@code all} = run everything ({@code full}).
 */
public enum AutoApprove {
    NONE, SAFE, ALL;

    public static AutoApprove parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--auto-approve must be none, safe or all, not '" + text + "'");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
