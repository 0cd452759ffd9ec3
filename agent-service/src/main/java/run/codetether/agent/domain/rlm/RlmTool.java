package run.codetether.agent.domain.rlm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ImagePart;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.session.Session;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * The {@code rlm} tool with the original v1.0 name, description and arguments ({@code action}
 * analyze|summarize|search, {@code query}, {@code paths}, {@code content}, {@code max_depth}). Where the original
 * returned a chunk preview, this runs a real {@link RlmEngine} analysis over the content and the files (read
 * through tools-service). It also answers A2A tasks sent with {@code metadata.skill = "rlm"} and, when
 * {@code codetether.agent.rlm.route-tool-output} is on, replaces oversized workspace-tool outputs by their RLM
 * summary. Thread-safe: each call builds its own engine.
 */
public final class RlmTool implements LoopTool {
    private static final Logger LOG = Logger.getLogger(RlmTool.class);
    static final String NAME = "rlm";
    static final int QUERY_CHARS = 2_000;
    static final ToolSpec SPEC = ToolSpec.readOnly(NAME,
            "Recursive Language Model for processing large codebases. Use this when you need to analyze files or content "
                    + "that exceeds the context window. RLM chunks the content, processes each chunk, and synthesizes results. "
                    + "Actions: 'analyze' (analyze large content), 'summarize' (summarize large files), 'search' (semantic "
                    + "search across large codebase).",
            """
            {"type":"object","properties":{
            "action":{"type":"string","description":"Action: 'analyze' (deep analysis), 'summarize' (generate summary), 'search' (semantic search)","enum":["analyze","summarize","search"]},
            "query":{"type":"string","description":"The question or query to answer (for analyze/search)"},
            "paths":{"type":"array","items":{"type":"string"},"description":"File or directory paths to process"},
            "content":{"type":"string","description":"Direct content to analyze (alternative to paths)"},
            "max_depth":{"type":"integer","description":"Maximum recursion depth (default: 3)","default":3}},
            "required":["action"]}""");

    private final RlmSettings settings;

    public RlmTool(RlmSettings settings) {
        this.settings = settings;
    }

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException {
        JsonNode a = call.arguments();
        String action = a.path("action").asText("");
        String query = a.path("query").asText("");
        String content = a.path("content").isTextual() ? a.path("content").asText() : null;
        List<String> paths = new ArrayList<>();
        for (JsonNode p : a.path("paths")) {
            if (!p.isTextual() || p.asText().isBlank()) {
                return Result.error("rlm: every entry of 'paths' must be a non-empty string");
            }
            paths.add(p.asText());
        }
        JsonNode depthNode = a.path("max_depth");
        if (!depthNode.isMissingNode() && !depthNode.isNull() && (!depthNode.canConvertToInt() || depthNode.asInt() < 1)) {
            return Result.error("rlm: 'max_depth' must be an integer >= 1");
        }
        int maxDepth = depthNode.isMissingNode() || depthNode.isNull() ? 3 : depthNode.asInt();
        String fullQuery = switch (action) {
            case "analyze" -> query.isBlank() ? null : query;
            case "summarize" -> "Summarize this content: its structure, the main parts and the important details."
                    + (query.isBlank() ? "" : " Focus: " + query);
            case "search" -> query.isBlank() ? null : "Find the parts of the content relevant to: " + query
                    + ". Quote them with their line numbers (use grep), then say briefly how each relates.";
            default -> "";
        };
        if ("".equals(fullQuery)) {
            return Result.error("Unknown action: " + action + ". Use 'analyze', 'summarize', or 'search'.");
        }
        if (fullQuery == null) {
            return Result.error("query is required for '" + action + "' action");
        }
        if (content == null && paths.isEmpty()) {
            return Result.error("Either 'paths' or 'content' is required");
        }
        return analyze(call.id(), loop, fullQuery, content, paths, List.of(), maxDepth, List.of(), List.of());
    }

    /**
     * Loads {@code content} and the paths, runs the analysis and formats the answer as the original did:
     * {@code [RLM: in → out tokens | n iterations | m sub-calls]} then the answer.
     *
     * @param optionalPaths paths that are skipped silently when they cannot be read (paths guessed from a message)
     * @param images images for the model beside the query (sent only when the catalog says the model reads images)
     * @param imageNotes the images named, for the answer's account of what was and was not sent
     */
    private Result analyze(String callId, LoopAccess loop, String query, String content, List<String> paths,
            List<String> optionalPaths, int maxDepth, List<ImagePart> images, List<String> imageNotes)
            throws InterruptedException {
        StringBuilder all = new StringBuilder();
        if (content != null) {
            all.append(content);
        }
        RlmSources sources = new RlmSources(loop, "rlm:" + callId, settings.maxContentChars());
        List<String> failed = new ArrayList<>();
        List<String> loadedPaths = new ArrayList<>();
        try {
            for (String path : paths) {
                loadInto(all, sources.load(path), failed, loadedPaths, false);
            }
            for (String path : optionalPaths) {
                loadInto(all, sources.load(path), failed, loadedPaths, true);
            }
        } catch (RlmSources.TooLarge e) {
            return Result.error("rlm: " + e.getMessage());
        }
        if (all.length() > settings.maxContentChars()) {
            return Result.error("rlm: the content is larger than codetether.agent.rlm.max-content-chars ("
                    + settings.maxContentChars() + " chars)");
        }
        if (loadedPaths.isEmpty() && (content == null || content.isBlank())) {
            return Result.error("rlm: nothing to analyze" + (failed.isEmpty() ? " (the content is empty)"
                    : ": " + String.join("; ", failed)));
        }
        // one file alone keeps its own line numbers (no "=== path ===" header), so grep's numbers are the file's
        String text = content == null && loadedPaths.size() == 1 && failed.isEmpty()
                ? all.substring(all.indexOf("\n") + 1) : all.toString();
        RlmContent c = new RlmContent(text);
        String label = loadedPaths.isEmpty() ? "content" : String.join(", ", loadedPaths.subList(0, Math.min(3,
                loadedPaths.size()))) + (loadedPaths.size() > 3 ? " (+" + (loadedPaths.size() - 3) + ")" : "");
        boolean vision = loop.model().info().vision();
        String imageLine = imageLine(loop, vision, images, imageNotes);
        RlmEngine.Result r;
        try {
            r = new RlmEngine(loop, settings, maxDepth, label).analyze(c, query, vision ? images : List.of());
        } catch (RlmException e) {
            return Result.error(imageLine + e.getMessage());
        }
        if (!r.finished()) {
            return Result.error(imageLine + r.answer());
        }
        return Result.ok(header(c, r) + imageLine + (failed.isEmpty() ? "" : "(not read: " + String.join("; ", failed)
                + ")\n\n") + r.answer());
    }

    /**
     * What became of the request's images: sent to the model with the query, or not, and why. RLM's REPL reads text
     * only, so a model that reads no images cannot see them at all, and the answer says so rather than pretending.
     */
    private static String imageLine(LoopAccess loop, boolean vision, List<ImagePart> images, List<String> notes) {
        if (notes.isEmpty()) {
            return "";
        }
        if (images.isEmpty()) {
            return "(images not analysed: " + String.join("; ", notes) + ")\n\n";
        }
        if (!vision) {
            return "(images not analysed: " + loop.model().info().provider() + "/" + loop.model().modelId()
                    + " reads no images (no vision flag in the model catalog) and RLM reads text only; send the "
                    + "task to a vision model to analyse " + String.join("; ", notes) + ")\n\n";
        }
        return "(images sent to " + loop.model().modelId() + " with the query: " + String.join("; ", notes) + ")\n\n";
    }

    private static void loadInto(StringBuilder all, List<RlmSources.Loaded> loaded, List<String> failed,
            List<String> loadedPaths, boolean optional) {
        for (RlmSources.Loaded l : loaded) {
            if (l.error() != null) {
                if (!optional) {
                    failed.add(l.path() + ": " + l.error());
                    all.append(all.isEmpty() ? "" : "\n").append("=== ").append(l.path()).append(" (error: ")
                            .append(l.error()).append(") ===\n");
                }
                continue;
            }
            loadedPaths.add(l.path());
            all.append(all.isEmpty() ? "" : "\n").append("=== ").append(l.path()).append(" ===\n").append(l.text());
        }
    }

    private static String header(RlmContent c, RlmEngine.Result r) {
        return "[RLM: " + c.estimatedTokens() + " → " + RlmRouter.estimateTokens(r.answer()) + " tokens | "
                + r.iterations() + " iterations | " + r.subcalls() + " sub-calls]\n\n";
    }

    /**
     * {@code metadata.skill = "rlm"}: the task's message is the request. Its text is the content (and the query
     * when it is short); files it carries inline are content too, file parts and workspace paths it names are read
     * through tools-service (named paths that do not exist are skipped). The answer is the task's answer.
     */
    @Override
    public Optional<Result> runSkill(TaskCommand.StartTask start, LoopAccess loop) throws InterruptedException {
        RlmSkill.Request req = RlmSkill.request(start.message(), QUERY_CHARS);
        loop.progress("RLM skill: analysing the message" + (req.paths().isEmpty() && req.guessedPaths().isEmpty() ? ""
                : " and " + (req.paths().size() + req.guessedPaths().size()) + " named path(s)"), Map.of(MetadataKeys.SKILL, NAME));
        return Optional.of(analyze("skill-" + start.taskId(), loop, req.query(), req.content(), req.paths(),
                req.guessedPaths(), settings.maxDepth(), req.images(), req.imageNotes()));
    }

    /**
     * The original's router on the tool-result path (only when route-tool-output is on): an eligible output over
     * the threshold is replaced by its RLM summary; when RLM fails, by a head/tail excerpt with a hint.
     */
    @Override
    public String filterToolOutput(String tool, JsonNode arguments, String output, LoopAccess loop)
            throws InterruptedException {
        if (!settings.routeToolOutput()) {
            return output;
        }
        long window = loop.model().info().contextWindow();
        RlmRouter.Decision d = RlmRouter.decide(tool, output, window, currentTokens(loop.session()), settings);
        if (!d.route()) {
            return output;
        }
        LOG.debugf("RLM routing %s output of ~%d tokens: %s", tool, d.estimatedTokens(), d.reason());
        RlmContent c = new RlmContent(output);
        try {
            RlmEngine.Result r = new RlmEngine(loop, settings, settings.maxDepth(), tool + " output")
                    .analyze(c, RlmRouter.query(tool, arguments));
            if (r.finished()) {
                return header(c, r) + r.answer();
            }
            return "## Fallback Summary\n*RLM processing failed - showing structured excerpt*\n\n"
                    + RlmRouter.smartTruncate(output, tool, arguments, 8_000);
        } catch (RlmException e) {
            LOG.warn("RLM routing of a " + tool + " output failed, showing an excerpt: " + e.getMessage());
            return "[RLM processing failed, showing truncated output]\n\n"
                    + RlmRouter.smartTruncate(output, tool, arguments, 8_000);
        }
    }

    /** The conversation's size as the loop estimates it for compaction (chars/4 + 2,000 for prompt and tools). */
    private static long currentTokens(Session s) {
        long chars = s.messages.subList(s.summarizedCount, s.messages.size()).stream().mapToLong(ChatMessage::size).sum()
                + (s.summary == null ? 0 : s.summary.length());
        return chars / 4 + 2_000;
    }
}
