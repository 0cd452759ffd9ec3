package run.codetether.agent.domain.rlm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * One RLM run (Zhang et al. 2025, as the original's {@code RlmExecutor}): the content stays in a {@link RlmRepl};
 * the model sees its size, a short preview and the commands, explores it with structured {@code rlm_*} calls or
 * commands in a code block (the original's text DSL, kept as the fallback for models without tool calls), may
 * ask sub-models about pieces, and ends with FINAL. A sub-query on a piece longer than the sub-call context is
 * itself analysed this way one level deeper, down to the depth limit, below which the piece is cut. The model
 * never receives the whole content, only command outputs cut at the step limit, and older outputs are elided
 * when the conversation would outgrow the model's context window. Not thread-safe: one run, one thread.
 */
public final class RlmEngine {
    private static final Logger LOG = Logger.getLogger(RlmEngine.class);
    static final String SUB_SYSTEM = "You are a focused analysis assistant. Answer the question based on the provided "
            + "context. Be concise.";
    static final String ELIDED = "[elided to fit the context window: output of an earlier command; run it again if needed]";

    /** How an analysis ended: a FINAL answer, or the iteration limit without one (then {@code answer} says so). */
    public record Result(String answer, boolean finished, int iterations, int subcalls) {}

    private final LoopAccess loop;
    private final RlmSettings settings;
    private final int maxDepth;
    private final int stepLimit;
    private final int windowChars;
    private final String label;
    private int subcalls;
    private int iterations;

    /**
     * @param maxDepth deepest nesting for this run (the tool's max_depth, capped by the settings)
     * @param label what is analysed, for progress updates ("src/big.log", "bash output")
     */
    public RlmEngine(LoopAccess loop, RlmSettings settings, int maxDepth, String label) {
        this.loop = loop;
        this.settings = settings;
        this.maxDepth = Math.max(1, Math.min(maxDepth, settings.maxDepth()));
        this.label = label;
        long window = Math.max(1_000, loop.model().info().contextWindow());
        this.windowChars = (int) Math.min(Integer.MAX_VALUE / 2, window * 4);
        this.stepLimit = Math.max(200, Math.min(settings.stepOutputChars(), windowChars / 10));
    }

    /** Runs the analysis of {@code content} for {@code query} at the top level. */
    public Result analyze(RlmContent content, String query) throws InterruptedException, RlmException {
        return analyze(content, query, List.of());
    }

    /** As {@link #analyze(RlmContent, String)}, the {@code images} going with the query to the (vision) model. */
    public Result analyze(RlmContent content, String query, List<ImagePart> images)
            throws InterruptedException, RlmException {
        Result r = analyze(content, query, 0, images);
        return new Result(r.answer(), r.finished(), iterations, subcalls);
    }

    private Result analyze(RlmContent content, String query, int depth, List<ImagePart> images)
            throws InterruptedException, RlmException {
        RlmRepl repl = new RlmRepl(content, stepLimit, (q, ctx) -> subQuery(content, q, ctx, depth));
        String system = systemPrompt(content, depth);
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(new ChatMessage.User("Analyze and answer: " + query + (images.isEmpty() ? ""
                : "\n(" + images.size() + " image" + (images.size() == 1 ? "" : "s") + " of the request attached)"),
                images));
        String lastOutput = "";
        int assigned = 0;
        for (int i = 1; i <= settings.maxIterations(); i++) {
            loop.checkStop();
            iterations++;
            loop.progress("RLM" + (depth > 0 ? " (depth " + depth + ")" : "") + " on " + label + ": iteration " + i + "/"
                    + settings.maxIterations(), Map.of(MetadataKeys.RLM, Map.of(MetadataKeys.ITERATION, i,
                            MetadataKeys.MAX_ITERATIONS, settings.maxIterations(), MetadataKeys.DEPTH, depth,
                            MetadataKeys.SUBCALLS, subcalls)));
            fit(messages, system.length());
            ModelReply reply = chat(new ModelRequest(loop.model().modelId(), system, messages, RlmTools.SPECS),
                    "iteration " + i + (depth > 0 ? " at depth " + depth : ""));
            if (!reply.toolCalls().isEmpty()) {
                List<ToolCall> calls = new ArrayList<>();
                Set<String> used = new HashSet<>();
                for (ToolCall c : reply.toolCalls()) {
                    String id = c.id() == null || c.id().isBlank() || !used.add(c.id()) ? "rlm-" + depth + "-" + (++assigned) : c.id();
                    used.add(id);
                    calls.add(new ToolCall(id, c.name(), c.argumentsJson()));
                }
                messages.add(new ChatMessage.Assistant(reply.text(), calls));
                for (ToolCall c : calls) {
                    loop.checkStop();
                    RlmRepl.Output out = RlmTools.dispatch(c.name(), c.argumentsJson(), repl);
                    if (out.finalAnswer() != null) {
                        return new Result(out.finalAnswer(), true, i, subcalls);
                    }
                    lastOutput = out.text();
                    messages.add(new ChatMessage.ToolResult(c.id(), c.name(), out.text(), out.error()));
                }
                continue;
            }
            String text = reply.text();
            messages.add(new ChatMessage.Assistant(text, List.of()));
            String code = RlmText.extractCode(text);
            if (!code.isBlank()) {
                RlmRepl.Output out = repl.execute(code);
                if (out.finalAnswer() != null) {
                    // a quoted answer spanning lines outside a code block is read whole from the reply
                    String whole = RlmText.extractFinal(text);
                    return new Result(whole != null && whole.length() > out.finalAnswer().length() ? whole
                            : out.finalAnswer(), true, i, subcalls);
                }
                lastOutput = out.text();
                messages.add(new ChatMessage.User("Execution result:\n" + out.text()));
                continue;
            }
            String prose = RlmText.extractFinal(text);
            if (prose != null) {
                return new Result(prose, true, i, subcalls);
            }
            messages.add(new ChatMessage.User("Error: no command found in your reply. Call the rlm_* tools, or write "
                    + "commands in a ``` block, one per line:\n" + RlmRepl.HELP + "\nCall FINAL(\"your answer\") when ready."));
        }
        LOG.debugf("RLM on %s reached %d iterations at depth %d", label, settings.maxIterations(), depth);
        return new Result("RLM reached its iteration limit (" + settings.maxIterations()
                + ", codetether.agent.rlm.max-iterations) without a FINAL answer" + (depth > 0 ? " at depth " + depth : "")
                + "." + (lastOutput.isBlank() ? "" : " Last command output:\n" + lastOutput), false, settings.maxIterations(),
                subcalls);
    }

    /** llm_query: a plain sub-model call, or a nested analysis when the text is longer than a sub-call may take. */
    private String subQuery(RlmContent content, String question, String context, int depth)
            throws InterruptedException, RlmException, RlmRepl.BadCommand {
        if (subcalls >= settings.maxSubcalls()) {
            throw new RlmRepl.BadCommand("sub-call limit reached (" + settings.maxSubcalls()
                    + ", codetether.agent.rlm.max-subcalls); answer with what you have");
        }
        subcalls++;
        String text = context == null ? content.text() : context;
        int plainLimit = Math.max(200, Math.min(settings.subcallContextChars(), windowChars / 2));
        loop.progress("RLM sub-query " + subcalls + " on " + label + ": " + shorten(question),
                Map.of(MetadataKeys.RLM, Map.of(MetadataKeys.SUBCALL, subcalls, MetadataKeys.DEPTH, depth + 1,
                        MetadataKeys.CONTEXT_CHARS, text.length())));
        if (text.length() > plainLimit && depth + 1 < maxDepth) {
            Result nested = analyze(new RlmContent(text), question, depth + 1, List.of());
            return nested.finished() ? nested.answer()
                    : "[the nested analysis of " + text.length() + " chars ended without a final answer] " + nested.answer();
        }
        String note = "";
        if (text.length() > plainLimit) {
            int keep = Math.max(100, plainLimit - 500);
            note = "[depth limit " + maxDepth + " reached: the sub-model saw only the first " + keep + " of "
                    + text.length() + " chars] ";
            text = text.substring(0, keep) + "\n[truncated, " + text.length() + " chars total]";
        }
        ModelReply reply = chat(new ModelRequest(loop.model().modelId(), SUB_SYSTEM,
                List.of(new ChatMessage.User("Context:\n" + text + "\n\nQuestion: " + question)), List.of()),
                "sub-query " + subcalls);
        return note + reply.text();
    }

    private ModelReply chat(ModelRequest request, String what) throws InterruptedException, RlmException {
        try {
            return loop.chat(request);
        } catch (ProviderException e) {
            throw new RlmException("RLM model call failed (" + what + "): " + e.getMessage());
        }
    }

    private String systemPrompt(RlmContent content, int depth) {
        StringBuilder preview = new StringBuilder();
        for (int i = 0; i < Math.min(25, content.lines()) && preview.length() < stepLimit; i++) {
            String line = content.line(i);
            preview.append(line.length() > 200 ? line.substring(0, 200) + "..." : line).append('\n');
        }
        String shown = preview.length() > stepLimit ? preview.substring(0, stepLimit) : preview.toString();
        return """
                You are a code analysis assistant answering a question about content too large for your context \
                window (RLM, a recursive language model%s). The content is held outside this conversation: %d chars, \
                %d lines, about %d tokens. You never see it whole; explore it with the rlm_* tools (rlm_head, \
                rlm_tail, rlm_grep, rlm_count, rlm_slice by 0-based line range, rlm_llm_query, rlm_final), or write \
                commands in a ``` block, one per line:
                %s
                Every command output is cut at %d chars. You have at most %d iterations and %d sub-queries. Be \
                specific: quote file paths, names, numbers and line numbers. You MUST end with rlm_final or \
                FINAL("your answer").

                Preview (first lines):
                %s""".formatted(depth > 0 ? ", nested analysis at depth " + depth : "", content.chars(), content.lines(),
                content.estimatedTokens(), RlmRepl.HELP, stepLimit, settings.maxIterations(), settings.maxSubcalls(), shown);
    }

    /** Elides the oldest command outputs until the conversation fits about 60% of the context window. */
    private void fit(List<ChatMessage> messages, int systemChars) {
        long budget = (long) (windowChars * 0.6) - systemChars;
        long total = messages.stream().mapToLong(ChatMessage::size).sum();
        for (int i = 1; i < messages.size() && total > budget; i++) {
            ChatMessage m = messages.get(i);
            if (m instanceof ChatMessage.ToolResult r && !r.content().equals(ELIDED)) {
                total -= r.content().length() - ELIDED.length();
                messages.set(i, new ChatMessage.ToolResult(r.callId(), r.toolName(), ELIDED, r.error()));
            } else if (m instanceof ChatMessage.User u && u.text().startsWith("Execution result:")) {
                total -= u.text().length() - ELIDED.length();
                messages.set(i, new ChatMessage.User(ELIDED));
            }
        }
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
