package run.codetether.cli.render;

/** A few SGR sequences for line output; all empty when colour is off (pipes, NO_COLOR, --json). */
public record Ansi(boolean on) {
    public String bold(String s) {
        return wrap("1", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    public String tool(String s) {
        return wrap("1;38;2;232;121;249", s);
    }

    public String accent(String s) {
        return wrap("38;2;34;211;238", s);
    }

    public String ok(String s) {
        return wrap("32", s);
    }

    public String err(String s) {
        return wrap("31", s);
    }

    public String warn(String s) {
        return wrap("33", s);
    }

    private String wrap(String code, String s) {
        return on ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** Colour for a terminal unless NO_COLOR is set (no-color.org). */
    public static Ansi forTerminal(boolean tty) {
        String noColor = System.getenv("NO_COLOR");
        return new Ansi(tty && (noColor == null || noColor.isEmpty()));
    }
}
