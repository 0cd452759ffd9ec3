package run.codetether.router.domain.grammar;

import static run.codetether.router.domain.grammar.GrammarState.push;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import run.codetether.router.domain.grammar.GrammarState.Frame;
import run.codetether.router.domain.schema.JsonSchema;
import run.codetether.router.domain.schema.JsonSchema.AnySchema;
import run.codetether.router.domain.schema.JsonSchema.ArraySchema;
import run.codetether.router.domain.schema.JsonSchema.BooleanSchema;
import run.codetether.router.domain.schema.JsonSchema.EnumSchema;
import run.codetether.router.domain.schema.JsonSchema.NullSchema;
import run.codetether.router.domain.schema.JsonSchema.NumberSchema;
import run.codetether.router.domain.schema.JsonSchema.ObjectSchema;
import run.codetether.router.domain.schema.JsonSchema.StringSchema;
import run.codetether.router.domain.schema.JsonSchema.UnionSchema;

/**
 * The frames of the call grammar. Bounds (whitespace runs, number length, array items, free keys) keep every
 * path finite apart from string content, which the token budget bounds.
 */
final class Frames {

    static final int MAX_WS = 8;
    static final int MAX_NUMBER_CHARS = 24;
    static final int MAX_ITEMS = 64;
    static final int MAX_FREE_KEY = 64;

    private static final JsonSchema ANY = new UnionSchema(List.of(new StringSchema(), new NumberSchema(false),
            new BooleanSchema(), new NullSchema(),
            new ObjectSchema(Map.of(), Set.of(), true, new AnySchema()), new ArraySchema(new AnySchema())));

    private Frames() {}

    static boolean isWs(char c) {
        return c == ' ' || c == '\n' || c == '\t' || c == '\r';
    }

    /** Between calls: whitespace (JSON), another call, or the stop symbol ("no call" when none was written). */
    record Root(CallGrammar grammar, int calls, boolean done, int ws) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (done) {
                return null;
            }
            if (c == Symbols.END) {
                return calls >= grammar.minCalls() ? new GrammarState(new Root(grammar, calls, true, 0), below) : null;
            }
            if (grammar.dialect() == Dialect.JSON_TOOL_CALL && isWs(c)) {
                return ws < MAX_WS ? new GrammarState(new Root(grammar, calls, false, ws + 1), below) : null;
            }
            if (calls >= grammar.maxCalls()) {
                return null;
            }
            GrammarState after = new GrammarState(new Root(grammar, calls + 1, false, 0), below);
            return grammar.callOpening(after).feed(c);
        }
    }

    /** Exactly this text. */
    record Literal(String text, int pos) implements Frame {
        Literal(String text) {
            this(text, 0);
        }

        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (c != text.charAt(pos)) {
                return null;
            }
            return pos + 1 == text.length() ? below : new GrammarState(new Literal(text, pos + 1), below);
        }
    }

    /** Up to {@link #MAX_WS} whitespace characters, then hands the symbol on. */
    record OptWs(int count) implements Frame {
        static final OptWs START = new OptWs(0);

        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (isWs(c)) {
                return count < MAX_WS ? new GrammarState(new OptWs(count + 1), below) : null;
            }
            return below.feed(c);
        }
    }

    /** The tool name: a prefix of an offered name until the terminator, then the rest of that tool's call. */
    record NameFrame(CallGrammar grammar, String prefix) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            char terminator = grammar.dialect() == Dialect.JSON_TOOL_CALL ? '"' : '{';
            if (c == terminator) {
                CallGrammar.Tool tool = grammar.tool(prefix);
                if (tool == null) {
                    return null;
                }
                GrammarState rest = grammar.afterName(tool, below);
                return grammar.dialect() == Dialect.JSON_TOOL_CALL ? rest : rest.feed(c);
            }
            String next = prefix + c;
            return grammar.hasNamePrefix(next) ? new GrammarState(new NameFrame(grammar, next), below) : null;
        }
    }

    /** A value of the given schema, decided by its first character. */
    record ValueFrame(JsonSchema schema, Dialect dialect) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            return startValue(schema, dialect, c, below);
        }
    }

    static GrammarState startValue(JsonSchema schema, Dialect d, char c, GrammarState below) {
        return switch (schema) {
            case EnumSchema e -> new LiteralChoice(Encoding.literals(e, d), "").feed(c, below);
            case StringSchema s -> c == d.quote() ? new GrammarState(new StringFrame(d, 0), below) : null;
            case NumberSchema n -> NumberFrame.start(n.integerOnly(), c, below);
            case BooleanSchema b -> new LiteralChoice(List.of("true", "false"), "").feed(c, below);
            case NullSchema n -> new LiteralChoice(List.of("null"), "").feed(c, below);
            case ObjectSchema o -> c == '{' ? new GrammarState(new ObjectFrame(o, d, Set.of(), 0, 0), below) : null;
            case ArraySchema a -> c == '[' ? new GrammarState(new ArrayFrame(a.items(), d, 0, 0, 0), below) : null;
            case UnionSchema u -> {
                for (JsonSchema option : u.options()) {
                    GrammarState next = startValue(option, d, c, below);
                    if (next != null) {
                        yield next;
                    }
                }
                yield null;
            }
            case AnySchema a -> startValue(ANY, d, c, below);
        };
    }

    /** One of a closed set of literal texts (enum values, true/false, null); ends by handing the symbol on. */
    record LiteralChoice(List<String> literals, String prefix) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            String next = prefix + c;
            for (String literal : literals) {
                if (literal.startsWith(next)) {
                    return new GrammarState(new LiteralChoice(literals, next), below);
                }
            }
            return literals.contains(prefix) ? below.feed(c) : null;
        }
    }

    /**
     * String content after the opening quote. {@code escape}: 0 none, 1 after a backslash, 2..5 = hex digits of a
     * {@code \\uXXXX} escape still to come + 1 (JSON only).
     */
    record StringFrame(Dialect dialect, int escape) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (dialect == Dialect.FUNCTION_GEMMA) {
                if (c == Symbols.ESCAPE) {
                    return below;
                }
                return Symbols.isControl(c) ? null : new GrammarState(this, below);
            }
            if (escape == 1) {
                if ("\"\\/bfnrt".indexOf(c) >= 0) {
                    return new GrammarState(new StringFrame(dialect, 0), below);
                }
                return c == 'u' ? new GrammarState(new StringFrame(dialect, 5), below) : null;
            }
            if (escape >= 2) {
                boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                return hex ? new GrammarState(new StringFrame(dialect, escape == 2 ? 0 : escape - 1), below) : null;
            }
            if (c == '"') {
                return below;
            }
            if (c == '\\') {
                return new GrammarState(new StringFrame(dialect, 1), below);
            }
            return c < 0x20 || Symbols.isControl(c) ? null : new GrammarState(this, below);
        }
    }

    /**
     * A JSON number; phases: 0 after '-', 1 after a leading 0, 2 integer digits, 3 after '.', 4 fraction digits,
     * 5 after 'e', 6 after the exponent sign, 7 exponent digits.
     */
    record NumberFrame(boolean integerOnly, int phase, int length) implements Frame {
        static GrammarState start(boolean integerOnly, char c, GrammarState below) {
            if (c == '-') {
                return new GrammarState(new NumberFrame(integerOnly, 0, 1), below);
            }
            if (c == '0') {
                return new GrammarState(new NumberFrame(integerOnly, 1, 1), below);
            }
            return c >= '1' && c <= '9' ? new GrammarState(new NumberFrame(integerOnly, 2, 1), below) : null;
        }

        @Override
        public GrammarState feed(char c, GrammarState below) {
            int next = length < MAX_NUMBER_CHARS ? transition(c) : -1;
            if (next >= 0) {
                return new GrammarState(new NumberFrame(integerOnly, next, length + 1), below);
            }
            boolean complete = phase == 1 || phase == 2 || phase == 4 || phase == 7;
            return complete ? below.feed(c) : null;
        }

        private int transition(char c) {
            boolean digit = c >= '0' && c <= '9';
            boolean dot = c == '.' && !integerOnly;
            boolean exp = (c == 'e' || c == 'E') && !integerOnly;
            return switch (phase) {
                case 0 -> c == '0' ? 1 : digit ? 2 : -1;
                case 1 -> dot ? 3 : exp ? 5 : -1;
                case 2 -> digit ? 2 : dot ? 3 : exp ? 5 : -1;
                case 3 -> digit ? 4 : -1;
                case 4 -> digit ? 4 : exp ? 5 : -1;
                case 5 -> (c == '+' || c == '-') ? 6 : digit ? 7 : -1;
                case 6, 7 -> digit ? 7 : -1;
                default -> -1;
            };
        }
    }

    /** Inside an object; phases: 0 after '{', 1 after a value, 2 after ','. */
    record ObjectFrame(ObjectSchema schema, Dialect dialect, Set<String> seen, int phase, int ws) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (dialect == Dialect.JSON_TOOL_CALL && isWs(c)) {
                return ws < MAX_WS ? new GrammarState(new ObjectFrame(schema, dialect, seen, phase, ws + 1), below)
                        : null;
            }
            if (c == '}' && phase != 2) {
                return seen.containsAll(schema.required()) ? below : null;
            }
            if (phase == 1) {
                return c == ',' && canAddKey()
                        ? new GrammarState(new ObjectFrame(schema, dialect, seen, 2, 0), below) : null;
            }
            if (!canAddKey()) {
                return null;
            }
            GrammarState host = new GrammarState(new ObjectFrame(schema, dialect, seen, 1, 0), below);
            if (schema.freeForm()) {
                return startFreeKey(c, host);
            }
            if (dialect == Dialect.JSON_TOOL_CALL) {
                return c == '"' ? new GrammarState(new KeyFrame(""), host) : null;
            }
            return new KeyFrame("").feed(c, host);
        }

        private GrammarState startFreeKey(char c, GrammarState host) {
            if (dialect == Dialect.JSON_TOOL_CALL) {
                return c == '"' ? push(host, new StringFrame(dialect, 0), OptWs.START, new Literal(":"), OptWs.START,
                        new ValueFrame(schema.additional(), dialect)) : null;
            }
            return new FreeKeyFrame(schema.additional(), 0).feed(c, host);
        }

        boolean canAddKey() {
            if (schema.freeForm()) {
                return true;
            }
            for (String key : schema.properties().keySet()) {
                if (!seen.contains(key)) {
                    return true;
                }
            }
            return false;
        }

        ObjectFrame withSeen(String key) {
            Set<String> next = new HashSet<>(seen);
            next.add(key);
            return new ObjectFrame(schema, dialect, Set.copyOf(next), phase, 0);
        }
    }

    /** A declared key not yet written; sits on its object's frame, which it updates when the key is complete. */
    record KeyFrame(String prefix) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            ObjectFrame host = (ObjectFrame) below.top;
            Dialect d = host.dialect();
            char terminator = d == Dialect.JSON_TOOL_CALL ? '"' : ':';
            if (c == terminator) {
                for (Map.Entry<String, JsonSchema> p : host.schema().properties().entrySet()) {
                    if (!host.seen().contains(p.getKey()) && Encoding.key(p.getKey(), d).equals(prefix)) {
                        GrammarState newHost = new GrammarState(host.withSeen(p.getKey()), below.below);
                        ValueFrame value = new ValueFrame(p.getValue(), d);
                        return d == Dialect.JSON_TOOL_CALL
                                ? push(newHost, OptWs.START, new Literal(":"), OptWs.START, value)
                                : push(newHost, value);
                    }
                }
                return null;
            }
            String next = prefix + c;
            for (String key : host.schema().properties().keySet()) {
                if (!host.seen().contains(key) && Encoding.key(key, d).startsWith(next)) {
                    return new GrammarState(new KeyFrame(next), below);
                }
            }
            return null;
        }
    }

    /** A bare identifier key of a free-form object (FunctionGemma), then ':' and a value. */
    record FreeKeyFrame(JsonSchema valueSchema, int length) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (c == ':' && length > 0) {
                return push(below, new ValueFrame(valueSchema, Dialect.FUNCTION_GEMMA));
            }
            boolean ident = Character.isLetterOrDigit(c) || c == '_' || c == '-';
            return ident && c < 0x80 && length < MAX_FREE_KEY
                    ? new GrammarState(new FreeKeyFrame(valueSchema, length + 1), below) : null;
        }
    }

    /** Inside an array; phases: 0 after '[', 1 after an item, 2 after ','. */
    record ArrayFrame(JsonSchema items, Dialect dialect, int phase, int ws, int count) implements Frame {
        @Override
        public GrammarState feed(char c, GrammarState below) {
            if (dialect == Dialect.JSON_TOOL_CALL && isWs(c)) {
                return ws < MAX_WS ? new GrammarState(new ArrayFrame(items, dialect, phase, ws + 1, count), below)
                        : null;
            }
            if (c == ']' && phase != 2) {
                return below;
            }
            if (phase == 1) {
                return c == ',' ? new GrammarState(new ArrayFrame(items, dialect, 2, 0, count), below) : null;
            }
            if (count >= MAX_ITEMS) {
                return null;
            }
            GrammarState host = new GrammarState(new ArrayFrame(items, dialect, 1, 0, count + 1), below);
            return startValue(items, dialect, c, host);
        }
    }
}
