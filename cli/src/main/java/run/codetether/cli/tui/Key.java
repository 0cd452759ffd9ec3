package run.codetether.cli.tui;

/**
 * One key press. Printable characters are their own name ({@code "a"}, {@code " "}); other keys use Emacs-style
 * names: {@code Enter Tab S-Tab Backspace Delete Esc Up Down Left Right Home End PageUp PageDown F1..F12},
 * {@code C-x} for Ctrl, {@code M-x} for Alt, {@code C-Up} etc. for modified arrows.
 */
public record Key(String name) {
    public boolean printable() {
        return name.codePointCount(0, name.length()) == 1 && name.codePointAt(0) >= 0x20 && name.codePointAt(0) != 0x7f;
    }

    public static Key of(String name) {
        return new Key(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
