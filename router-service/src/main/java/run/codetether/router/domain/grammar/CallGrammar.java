package run.codetether.router.domain.grammar;

import static run.codetether.router.domain.grammar.GrammarState.push;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import run.codetether.router.domain.ToolSpec;
import run.codetether.router.domain.grammar.Frames.Literal;
import run.codetether.router.domain.grammar.Frames.NameFrame;
import run.codetether.router.domain.grammar.Frames.OptWs;
import run.codetether.router.domain.grammar.Frames.Root;
import run.codetether.router.domain.grammar.Frames.ValueFrame;

/**
 * The language of "zero or more calls to the offered tools, then stop", with each call's arguments following its
 * tool's schema. Immutable and thread-safe; one per request.
 */
public final class CallGrammar {

    /** A tool as the grammar sees it: its name as written in the dialect, and its spec. */
    record Tool(String writtenName, ToolSpec spec) {}

    private final Dialect dialect;
    private final int maxCalls;
    private final int minCalls;
    private final Map<String, Tool> byWrittenName = new LinkedHashMap<>();
    private final NavigableSet<String> names = new TreeSet<>();

    /** The production grammar: "no call" is always a possible answer. */
    public CallGrammar(Dialect dialect, List<ToolSpec> tools, int maxCalls) {
        this(dialect, tools, 0, maxCalls);
    }

    /** {@code minCalls} > 0 forbids stopping before that many calls ("tool choice: required"). */
    public CallGrammar(Dialect dialect, List<ToolSpec> tools, int minCalls, int maxCalls) {
        this.minCalls = minCalls;
        if (tools.isEmpty()) {
            throw new IllegalArgumentException("a call grammar needs at least one tool");
        }
        this.dialect = dialect;
        this.maxCalls = maxCalls;
        for (ToolSpec spec : tools) {
            String written = Encoding.key(spec.name(), dialect);
            byWrittenName.put(written, new Tool(written, spec));
            names.add(written);
        }
    }

    public Dialect dialect() {
        return dialect;
    }

    int maxCalls() {
        return maxCalls;
    }

    int minCalls() {
        return minCalls;
    }

    /** The state before anything was generated. */
    public GrammarState initialState() {
        return new GrammarState(new Root(this, 0, false, 0), null);
    }

    Tool tool(String writtenName) {
        return byWrittenName.get(writtenName);
    }

    boolean hasNamePrefix(String prefix) {
        String ceiling = names.ceiling(prefix);
        return ceiling != null && ceiling.startsWith(prefix);
    }

    /** Everything of a call up to and including the tool name, then {@code after}. */
    GrammarState callOpening(GrammarState after) {
        NameFrame name = new NameFrame(this, "");
        if (dialect == Dialect.FUNCTION_GEMMA) {
            return push(after, new Literal(Symbols.START_CALL + "call:"), name);
        }
        return push(after, new Literal("<tool_call>"), OptWs.START, new Literal("{"), OptWs.START,
                new Literal("\"name\""), OptWs.START, new Literal(":"), OptWs.START, new Literal("\""), name);
    }

    /** The rest of a call once its tool is known: the arguments object and the closing part. */
    GrammarState afterName(Tool tool, GrammarState after) {
        ValueFrame arguments = new ValueFrame(tool.spec().arguments(), dialect);
        if (dialect == Dialect.FUNCTION_GEMMA) {
            return push(after, arguments, new Literal(String.valueOf(Symbols.END_CALL)));
        }
        return push(after, OptWs.START, new Literal(","), OptWs.START, new Literal("\"arguments\""), OptWs.START,
                new Literal(":"), OptWs.START, arguments, OptWs.START, new Literal("}"), OptWs.START,
                new Literal("</tool_call>"));
    }
}
