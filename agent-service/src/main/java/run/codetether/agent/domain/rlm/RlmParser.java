package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser of one statement of the RLM command language ({@link RlmRepl}). Not thread-safe. */
final class RlmParser {
    private final String s;
    private int pos;

    RlmParser(String s, int pos) {
        this.s = s;
        this.pos = pos;
    }

    /** {@code [let|const|var] name =} at the start, consumed; null when the statement is no assignment. */
    String assignmentTarget() {
        int save = pos;
        skip();
        for (String kw : new String[] {"let ", "const ", "var "}) {
            if (s.startsWith(kw, pos)) {
                pos += kw.length();
                break;
            }
        }
        skip();
        String name = identifier();
        skip();
        if (name != null && pos < s.length() && s.charAt(pos) == '=' && !s.startsWith("==", pos)) {
            pos++;
            return name;
        }
        pos = save;
        return null;
    }

    RlmExpr expr() throws RlmRepl.BadCommand {
        skip();
        if (pos >= s.length()) {
            throw new RlmRepl.BadCommand("expected a command like head(10), got nothing");
        }
        char c = s.charAt(pos);
        if (c == '"' || c == '\'' || c == '`') {
            return new RlmExpr.Str(string(c));
        }
        if (Character.isDigit(c) || c == '-') {
            int start = pos++;
            while (pos < s.length() && Character.isDigit(s.charAt(pos))) {
                pos++;
            }
            try {
                return new RlmExpr.Num(Long.parseLong(s.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw new RlmRepl.BadCommand("bad number '" + s.substring(start, pos) + "'");
            }
        }
        String name = identifier();
        if (name == null) {
            throw new RlmRepl.BadCommand("cannot parse '" + shorten(s) + "': expected a command like head(10), grep(\"x\")"
                    + " or FINAL(\"answer\")");
        }
        skip();
        if (pos < s.length() && s.charAt(pos) == '(') {
            return new RlmExpr.Call(name, arguments());
        }
        return new RlmExpr.Var(name);
    }

    List<RlmExpr> arguments() throws RlmRepl.BadCommand {
        skip();
        if (pos >= s.length() || s.charAt(pos) != '(') {
            throw new RlmRepl.BadCommand("expected '(' in '" + shorten(s) + "'");
        }
        pos++;
        List<RlmExpr> args = new ArrayList<>();
        skip();
        if (pos < s.length() && s.charAt(pos) == ')') {
            pos++;
            return args;
        }
        while (true) {
            args.add(expr());
            skip();
            if (pos >= s.length()) {
                throw new RlmRepl.BadCommand("missing ')' in '" + shorten(s) + "'");
            }
            char c = s.charAt(pos++);
            if (c == ')') {
                return args;
            }
            if (c != ',') {
                throw new RlmRepl.BadCommand("expected ',' or ')' at column " + pos + " of '" + shorten(s) + "'");
            }
        }
    }

    void end() throws RlmRepl.BadCommand {
        skip();
        if (pos < s.length()) {
            throw new RlmRepl.BadCommand("unexpected '" + shorten(s.substring(pos)) + "' after the command (one command per line)");
        }
    }

    private String string(char quote) throws RlmRepl.BadCommand {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == quote) {
                return out.toString();
            }
            if (c == '\\' && pos < s.length()) {
                char e = s.charAt(pos++);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        throw new RlmRepl.BadCommand("unterminated string in '" + shorten(s) + "'");
    }

    private String identifier() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')
                && !(pos == start && Character.isDigit(s.charAt(pos)))) {
            pos++;
        }
        return pos > start ? s.substring(start, pos) : null;
    }

    private void skip() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
