package run.codetether.cli.tui;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes a terminal sends into {@link Key}s: control characters, Alt as an ESC prefix, CSI and SS3
 * sequences (arrows, Home/End, PageUp/Down, Delete, F1-F12, modifier parameters), xterm modifyOtherKeys
 * ({@code CSI 27;mod;code ~}) and the kitty keyboard protocol ({@code CSI code;mod u}); the last two are how a
 * terminal tells Ctrl+M from Enter. A lone ESC is a key only when no more input follows ({@link #flush}).
 * Not thread-safe: one reader thread feeds it.
 */
public final class KeyDecoder {
    private final StringBuilder pending = new StringBuilder();

    /** Feeds one char; answers the keys it completes (often none or one). */
    public List<Key> feed(char c) {
        pending.append(c);
        List<Key> out = new ArrayList<>();
        decode(out, false);
        return out;
    }

    /** No more input arrived for a moment: a pending lone ESC (or a cut-off sequence) becomes keys. */
    public List<Key> flush() {
        List<Key> out = new ArrayList<>();
        decode(out, true);
        return out;
    }

    public boolean hasPending() {
        return !pending.isEmpty();
    }

    private void decode(List<Key> out, boolean idle) {
        while (!pending.isEmpty()) {
            int used = parse(out, idle);
            if (used == 0) {
                return;
            }
            pending.delete(0, used);
        }
    }

    /** Parses one key from the start of {@code pending}; 0 when more input is needed. */
    private int parse(List<Key> out, boolean idle) {
        char c = pending.charAt(0);
        if (c != 0x1b) {
            if (Character.isHighSurrogate(c)) {
                if (pending.length() < 2) {
                    return 0;
                }
                out.add(Key.of(pending.substring(0, 2)));
                return 2;
            }
            out.add(control(c));
            return 1;
        }
        if (pending.length() == 1) {
            if (idle) {
                out.add(Key.of("Esc"));
                return 1;
            }
            return 0;
        }
        char second = pending.charAt(1);
        if (second == '[') {
            return csi(out, idle);
        }
        if (second == 'O') {
            if (pending.length() < 3) {
                return idle ? escapeAlone(out) : 0;
            }
            String name = switch (pending.charAt(2)) {
                case 'A' -> "Up";
                case 'B' -> "Down";
                case 'C' -> "Right";
                case 'D' -> "Left";
                case 'H' -> "Home";
                case 'F' -> "End";
                case 'P' -> "F1";
                case 'Q' -> "F2";
                case 'R' -> "F3";
                case 'S' -> "F4";
                default -> "M-O";
            };
            out.add(Key.of(name));
            return name.equals("M-O") ? 2 : 3;
        }
        if (second == 0x1b) {
            out.add(Key.of("Esc"));
            return 1;
        }
        Key inner = control(second);
        out.add(Key.of("M-" + inner.name()));
        return 2;
    }

    private int escapeAlone(List<Key> out) {
        out.add(Key.of("Esc"));
        return 1;
    }

    private int csi(List<Key> out, boolean idle) {
        int i = 2;
        while (i < pending.length()) {
            char ch = pending.charAt(i);
            if (ch >= 0x40 && ch <= 0x7e) {
                out.add(Key.of(csiName(pending.substring(2, i), ch)));
                return i + 1;
            }
            if (i > 32) {
                out.add(Key.of("Esc"));
                return 1;
            }
            i++;
        }
        if (idle) {
            out.add(Key.of("M-["));
            return 2;
        }
        return 0;
    }

    static String csiName(String params, char fin) {
        String[] p = params.split(";");
        int mod = p.length > 1 ? parse(p[1]) : 1;
        String base = switch (fin) {
            case 'A' -> "Up";
            case 'B' -> "Down";
            case 'C' -> "Right";
            case 'D' -> "Left";
            case 'H' -> "Home";
            case 'F' -> "End";
            case 'Z' -> "S-Tab";
            case 'P' -> "F1";
            case 'Q' -> "F2";
            case 'R' -> "F3";
            case 'S' -> "F4";
            case 'u' -> codeKey(parse(p[0]));
            case '~' -> tilde(p);
            default -> "Unknown";
        };
        if (fin == '~' && p.length >= 3 && parse(p[0]) == 27) {
            return modified(codeKey(parse(p[2])), parse(p[1]));
        }
        return modified(base, mod);
    }

    private static String tilde(String[] p) {
        return switch (parse(p[0])) {
            case 1, 7 -> "Home";
            case 2 -> "Insert";
            case 3 -> "Delete";
            case 4, 8 -> "End";
            case 5 -> "PageUp";
            case 6 -> "PageDown";
            case 11 -> "F1";
            case 12 -> "F2";
            case 13 -> "F3";
            case 14 -> "F4";
            case 15 -> "F5";
            case 17 -> "F6";
            case 18 -> "F7";
            case 19 -> "F8";
            case 20 -> "F9";
            case 21 -> "F10";
            case 23 -> "F11";
            case 24 -> "F12";
            default -> "Unknown";
        };
    }

    private static String codeKey(int code) {
        return switch (code) {
            case 13 -> "Enter";
            case 9 -> "Tab";
            case 27 -> "Esc";
            case 127 -> "Backspace";
            default -> code > 0 ? new String(Character.toChars(code)) : "Unknown";
        };
    }

    /** xterm modifier parameter: 1 + (1 shift, 2 alt, 4 ctrl). */
    private static String modified(String base, int mod) {
        if (mod <= 1) {
            return base;
        }
        int bits = mod - 1;
        String name = base;
        if ((bits & 1) != 0 && !(base.length() == 1 && Character.isLetter(base.charAt(0)))) {
            name = "S-" + name;
        }
        if ((bits & 2) != 0) {
            name = "M-" + name;
        }
        if ((bits & 4) != 0) {
            name = "C-" + (base.length() == 1 ? base.toLowerCase() : name);
        }
        return name;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.isEmpty() ? "1" : s.split(":")[0]);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    static Key control(char c) {
        return switch (c) {
            case '\r', '\n' -> Key.of("Enter");
            case '\t' -> Key.of("Tab");
            case 0x7f, 0x08 -> Key.of("Backspace");
            case 0 -> Key.of("C-Space");
            default -> c < 0x20 ? Key.of("C-" + (char) ('a' + c - 1)) : Key.of(String.valueOf(c));
        };
    }
}
