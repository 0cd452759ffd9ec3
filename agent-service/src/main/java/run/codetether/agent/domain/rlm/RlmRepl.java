package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REPL of one RLM analysis: a plain-Java interpreter of a small command language over {@link RlmContent}. It
 * evaluates only the functions listed in {@link #HELP}, string and integer literals and variables; nothing else
 * exists (no script engine, no host access), and every output is cut at the step limit. Not thread-safe: one
 * analysis owns it.
 *
 * <pre>
 * statement := FINAL(expr | raw text) | [let|const|var] name = expr | print(expr) | expr
 * expr      := "string" | 'string' | `string` | integer | name | function(expr, ...)
 * </pre>
 */
public final class RlmRepl {
    static final String HELP = """
            head(n) / tail(n): first / last n lines (default 10)
            grep("regex"): matching lines as line:text (1-based line numbers)
            count("regex"): number of matches
            slice(start, end): characters start..end (0-based, end exclusive)
            lines(): number of lines; chunks(n): how n line chunks split the content
            chunk(i, n): chunk i (0-based) of n equal line chunks
            llm_query("question", text?): ask a sub-model about text (default: the whole content; long text is analysed recursively)
            let name = expr; print(expr)
            FINAL("answer"): return the final answer""";
    static final int MAX_GREP_LINES = 500;
    static final int MAX_VARIABLES = 100;

    /** Asks a sub-model (or a nested analysis) a question about a text; null context = the whole content. */
    @FunctionalInterface
    interface SubQuery {
        String ask(String question, String context) throws InterruptedException, RlmException, BadCommand;
    }

    /** What one statement or one structured call produced. {@code finalAnswer} ends the analysis when set. */
    public record Output(String text, boolean error, String finalAnswer) {
        static Output ok(String text) {
            return new Output(text, false, null);
        }

        static Output error(String text) {
            return new Output(text, true, null);
        }

        static Output fin(String answer) {
            return new Output("FINAL received", false, answer);
        }
    }

    /** A command the language does not allow, or arguments it cannot use; the message is what the model reads. */
    static final class BadCommand extends Exception {
        BadCommand(String message) {
            super(message, null, false, false);
        }
    }

    private final RlmContent content;
    private final int outputLimit;
    private final SubQuery subQuery;
    private final Map<String, String> variables = new LinkedHashMap<>();

    RlmRepl(RlmContent content, int outputLimit, SubQuery subQuery) {
        this.content = content;
        this.outputLimit = outputLimit;
        this.subQuery = subQuery;
    }

    public RlmContent content() {
        return content;
    }

    /**
     * Runs a block of statements, one per line (blank lines and // or # comments skipped). Stops at FINAL; a bad
     * line gives "Error: line N: ..." and the block goes on, so the model sees every problem at once.
     */
    public Output execute(String code) throws InterruptedException, RlmException {
        List<String> out = new ArrayList<>();
        boolean anyError = false;
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("//") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("FINAL") && !line.endsWith(")") && !line.endsWith(");")) {
                StringBuilder joined = new StringBuilder(line); // a FINAL answer may span lines
                while (i + 1 < lines.length && !joined.toString().endsWith(")") && !joined.toString().endsWith(");")) {
                    joined.append('\n').append(lines[++i].trim());
                }
                line = joined.toString();
            }
            try {
                Output o = statement(line);
                if (o.finalAnswer() != null) {
                    return o;
                }
                if (o.text() != null) {
                    out.add(o.text());
                }
            } catch (BadCommand e) {
                anyError = true;
                out.add("Error: line " + (i + 1) + ": " + e.getMessage());
            }
        }
        String text = out.isEmpty() ? "[No output]" : String.join("\n", out);
        return new Output(cut(text), anyError, null);
    }

    private Output statement(String line) throws BadCommand, InterruptedException, RlmException {
        if (line.endsWith(";")) {
            line = line.substring(0, line.length() - 1).trim();
        }
        if (line.startsWith("FINAL(") || line.startsWith("FINAL!(")) {
            return Output.fin(finalText(line));
        }
        for (String p : new String[] {"print(", "println!(", "console.log("}) {
            if (line.startsWith(p)) {
                RlmParser parser = new RlmParser(line, p.length() - 1);
                List<RlmExpr> args = parser.arguments();
                parser.end();
                if (args.size() != 1) {
                    throw new BadCommand("print takes one argument");
                }
                return Output.ok(eval(args.get(0)));
            }
        }
        RlmParser parser = new RlmParser(line, 0);
        String assigned = parser.assignmentTarget();
        RlmExpr e = parser.expr();
        parser.end();
        String value = eval(e);
        if (assigned != null) {
            if (!variables.containsKey(assigned) && variables.size() >= MAX_VARIABLES) {
                throw new BadCommand("too many variables (at most " + MAX_VARIABLES + ")");
            }
            variables.put(assigned, value);
            return new Output(null, false, null);
        }
        if (e instanceof RlmExpr.Call c && c.name().equals("llm_query")) {
            return Output.ok("llm_query result: " + value);
        }
        return Output.ok(value);
    }

    /** FINAL's argument: a string literal or variable when it parses as one, else the raw text (as the original). */
    private String finalText(String line) throws BadCommand, InterruptedException, RlmException {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        String inner = (close > open ? line.substring(open + 1, close) : line.substring(open + 1)).trim();
        try {
            RlmParser p = new RlmParser(inner, 0);
            RlmExpr e = p.expr();
            p.end();
            if (e instanceof RlmExpr.Str || e instanceof RlmExpr.Var v && variables.containsKey(v.name())) {
                return eval(e);
            }
        } catch (BadCommand ignored) {
            // not an expression: the raw text is the answer
        }
        return stripQuotes(inner);
    }

    private static String stripQuotes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && "\"'`".indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && "\"'`".indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    String eval(RlmExpr e) throws BadCommand, InterruptedException, RlmException {
        return switch (e) {
            case RlmExpr.Str s -> s.value();
            case RlmExpr.Num n -> Long.toString(n.value());
            case RlmExpr.Var v -> {
                if (v.name().equals("context")) {
                    yield "[Context: " + content.chars() + " chars, " + content.lines() + " lines]";
                }
                if (v.name().equals("lines")) {
                    yield "Lines: " + content.lines();
                }
                String value = variables.get(v.name());
                if (value == null) {
                    throw new BadCommand("unknown name '" + v.name() + "'" + (variables.isEmpty() ? ""
                            : " (variables: " + String.join(", ", variables.keySet()) + ")"));
                }
                yield value;
            }
            case RlmExpr.Call c -> call(c);
        };
    }

    private String call(RlmExpr.Call c) throws BadCommand, InterruptedException, RlmException {
        List<String> a = new ArrayList<>();
        for (RlmExpr arg : c.args()) {
            a.add(eval(arg));
        }
        return switch (c.name()) {
            case "head" -> head(count(c, a, 0, 1) == 0 ? 10 : number(c, a, 0, 0, 1_000_000));
            case "tail" -> tail(count(c, a, 0, 1) == 0 ? 10 : number(c, a, 0, 0, 1_000_000));
            case "grep" -> {
                count(c, a, 1, 1);
                yield grep(nonEmpty(c, a.get(0)));
            }
            case "count" -> {
                count(c, a, 1, 1);
                yield count(nonEmpty(c, a.get(0)));
            }
            case "slice" -> {
                count(c, a, 2, 2);
                int start = number(c, a, 0, 0, Integer.MAX_VALUE);
                int end = number(c, a, 1, 0, Integer.MAX_VALUE);
                if (end < start) {
                    throw new BadCommand("slice(start, end): end " + end + " is before start " + start);
                }
                yield content.slice(start, end);
            }
            case "lines" -> {
                count(c, a, 0, 0);
                yield "Lines: " + content.lines();
            }
            case "chunks" -> {
                int n = count(c, a, 0, 1) == 0 ? 5 : number(c, a, 0, 1, 100_000);
                int[] first = content.chunkBounds(0, n);
                int made = first[1] == first[0] ? 0 : (content.lines() + (first[1] - first[0]) - 1) / (first[1] - first[0]);
                yield "[" + made + " chunks of " + (first[1] - first[0]) + " lines each; read one with chunk(i, " + n + ")]";
            }
            case "chunk" -> {
                count(c, a, 2, 2);
                int n = number(c, a, 1, 1, 100_000);
                int i = number(c, a, 0, 0, n - 1);
                int[] b = content.chunkBounds(i, n);
                yield "[chunk " + i + " of " + n + ": lines " + (b[0] + 1) + "-" + b[1] + "]\n" + content.lineRange(b[0], b[1]);
            }
            case "llm_query" -> {
                count(c, a, 1, 2);
                String q = nonEmpty(c, a.get(0));
                yield subQuery.ask(q, a.size() == 2 ? a.get(1) : null);
            }
            default -> throw new BadCommand("unknown command '" + c.name() + "'. Commands:\n" + HELP);
        };
    }

    String subQuery(String question, String context) throws InterruptedException, RlmException, BadCommand {
        return subQuery.ask(question, context);
    }

    String head(int n) {
        return content.head(n);
    }

    String tail(int n) {
        return content.tail(n);
    }

    String grep(String pattern) throws BadCommand {
        RlmContent.Search s = RlmContent.compile(pattern);
        int[] total = {0};
        List<Integer> hits;
        try {
            hits = content.grep(s, MAX_GREP_LINES, total);
        } catch (RlmContent.TooExpensive | StackOverflowError e) {
            // deep backtracking overflows java.util.regex's recursion before the read budget runs out
            throw new BadCommand(new RlmContent.TooExpensive().getMessage());
        }
        if (hits.isEmpty()) {
            return s.note() + "(no matches)";
        }
        StringBuilder out = new StringBuilder(s.note());
        for (int n : hits) {
            out.append(n).append(':').append(content.line(n - 1)).append('\n');
        }
        if (total[0] > hits.size()) {
            out.append("[first ").append(hits.size()).append(" of ").append(total[0]).append(" matching lines]\n");
        }
        return out.substring(0, out.length() - 1);
    }

    String count(String pattern) throws BadCommand {
        RlmContent.Search s = RlmContent.compile(pattern);
        try {
            return s.note() + content.count(s);
        } catch (RlmContent.TooExpensive | StackOverflowError e) {
            // deep backtracking overflows java.util.regex's recursion before the read budget runs out
            throw new BadCommand(new RlmContent.TooExpensive().getMessage());
        }
    }

    /** Cuts an output to the step limit, saying so. */
    String cut(String text) {
        if (text.length() <= outputLimit) {
            return text;
        }
        return text.substring(0, outputLimit) + "\n[output cut at " + outputLimit + " of " + text.length()
                + " chars; narrow it down with grep, slice, chunk or a smaller n]";
    }

    private static int count(RlmExpr.Call c, List<String> a, int min, int max) throws BadCommand {
        if (a.size() < min || a.size() > max) {
            throw new BadCommand(c.name() + " takes " + (min == max ? min : min + " to " + max) + " argument"
                    + (max == 1 ? "" : "s") + ", got " + a.size() + ". Commands:\n" + HELP);
        }
        return a.size();
    }

    private static int number(RlmExpr.Call c, List<String> a, int i, long min, long max) throws BadCommand {
        String s = a.get(i).trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new BadCommand(c.name() + ": argument " + (i + 1) + " must be an integer, got '"
                    + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'");
        }
        if (v < min || v > max) {
            throw new BadCommand(c.name() + ": argument " + (i + 1) + " must be between " + min + " and " + max
                    + ", got " + v);
        }
        return (int) v;
    }

    private static String nonEmpty(RlmExpr.Call c, String s) throws BadCommand {
        if (s.isEmpty()) {
            throw new BadCommand(c.name() + ": the first argument must not be empty");
        }
        return s;
    }
}
