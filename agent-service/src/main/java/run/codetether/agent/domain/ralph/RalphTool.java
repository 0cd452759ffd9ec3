package run.codetether.agent.domain.ralph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * The original's {@code ralph} tool: {@code run} the PRD-driven loop ({@link RalphLoop}), {@code status} of a
 * prd.json, {@code create-prd} writes a template. Parameters as the original: action, prd_path (default prd.json),
 * feature, project, max_iterations. Also the A2A skill {@code ralph}: a task with {@code metadata.skill = "ralph"}
 * runs {@code run} directly.
 */
public final class RalphTool implements LoopTool {
    public static final String NAME = "ralph";
    /** A path ending in .json named in a ralph task's message, e.g. "run docs/search-prd.json". */
    private static final Pattern JSON_PATH = Pattern.compile("(?<![\\w./-])([\\w./-]*[\\w-]\\.json)\\b");

    private static final ToolSpec SPEC = ToolSpec.mutating(NAME, """
            Run the Ralph autonomous agent loop to implement user stories from a PRD.

            Ralph is an autonomous AI agent loop that runs repeatedly until all PRD items are complete.
            Each iteration is a fresh agent with clean context working on the next open story (highest priority
            whose dependencies pass). Memory persists via:
            - progress.txt (learnings, summaries and quality-check failures of earlier iterations)
            - prd.json (which stories are done)

            A story passes only when every quality check of the PRD (typecheck, lint, test, build) exits 0.

            Actions:
            - run: Start the Ralph loop with a PRD file
            - status: Check progress of a PRD
            - create-prd: Create a new PRD template

            Returns a summary with the status, passed/total stories and the story checklist.""",
            """
            {"type":"object","properties":{
            "action":{"type":"string","enum":["run","status","create-prd"],"description":"Action to perform"},
            "prd_path":{"type":"string","description":"Path to prd.json file (default: prd.json)"},
            "feature":{"type":"string","description":"Feature name for create-prd action"},
            "project":{"type":"string","description":"Project name for create-prd action"},
            "max_iterations":{"type":"integer","description":"Maximum iterations for run action (default: %d)"}},
            "required":["action"]}""");

    private final RalphSettings settings;
    private final ToolSpec spec;

    public RalphTool(RalphSettings settings) {
        this.settings = settings;
        this.spec = ToolSpec.mutating(SPEC.name(), SPEC.description(),
                SPEC.parametersJsonSchema().formatted(settings.maxIterations()));
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public Optional<String> skillCall(String skill, String messageText, Map<String, Object> metadata) {
        if (!NAME.equals(skill)) {
            return Optional.empty();
        }
        ObjectNode args = PrdFile.JSON.createObjectNode().put("action", "run");
        Object path = metadata.get(MetadataKeys.PRD_PATH);
        if (path != null) {
            args.putPOJO("prd_path", path); // a wrong type is refused by the argument check, with its reason
        } else {
            Matcher m = JSON_PATH.matcher(messageText == null ? "" : messageText);
            args.put("prd_path", m.find() ? m.group(1) : RalphSettings.PRD_PATH);
        }
        Object max = metadata.get(MetadataKeys.MAX_ITERATIONS);
        if (max != null) {
            args.putPOJO("max_iterations", max);
        }
        return Optional.of(args.toString());
    }

    @Override
    public Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException {
        JsonNode a = call.arguments();
        String action = a.path("action").asText("");
        String prdPath = a.path("prd_path").asText("").isBlank() ? RalphSettings.PRD_PATH : a.path("prd_path").asText();
        if (prdPath.startsWith("/") || List.of(prdPath.split("/")).contains("..")) {
            return Result.error("ralph: prd_path must be relative to the workspace (got " + prdPath + ")");
        }
        // the task id too: a provider that repeats call ids across tasks must not replay another task's run
        String keyBase = NAME + ":" + loop.taskId() + ":" + call.id();
        Workspace ws = new Workspace(loop);
        try {
            return switch (action) {
                case "run" -> run(loop, keyBase, prdPath, a.path("max_iterations"));
                case "status" -> status(RalphLoop.load(ws, keyBase + ":status", prdPath).prd());
                case "create-prd" -> createPrd(ws, keyBase, prdPath, a.path("project").asText("MyProject"),
                        a.path("feature").asText("New Feature"));
                default -> Result.error("Unknown action: " + action + ". Valid actions: run, status, create-prd");
            };
        } catch (PrdException e) {
            return Result.error(e.getMessage());
        }
    }

    private Result run(LoopAccess loop, String keyBase, String prdPath, JsonNode maxNode)
            throws InterruptedException, PrdException {
        int max = settings.maxIterations();
        if (!maxNode.isMissingNode() && !maxNode.isNull()) {
            if (!maxNode.canConvertToInt() || maxNode.asInt() < 1) {
                return Result.error("ralph: max_iterations must be a positive integer (got " + maxNode + ")");
            }
            max = maxNode.asInt();
        }
        RalphLoop.Outcome out = new RalphLoop(loop, settings, keyBase, prdPath, max).run();
        Prd prd = out.prd();
        String nextSteps;
        if (out.allPassed()) {
            nextSteps = "\n## Next Steps\n\n1. Review the changes in the workspace"
                    + (prd.branchName().isBlank() ? "" : " (feature branch `" + prd.branchName() + "`)")
                    + "\n2. Create a pull request or merge them";
        } else {
            String open = prd.userStories().stream().filter(s -> !s.passes()).map(s -> "- " + s.id() + ": " + s.title())
                    .collect(Collectors.joining("\n"));
            nextSteps = "\n## Incomplete Stories\n\n" + open + "\n\n## Next Steps\n\n1. Review " + Workspace.sibling(
                    prdPath, RalphSettings.PROGRESS_FILE) + " for learnings and quality-check failures\n2. Either:\n"
                    + "   - Re-run Ralph (it continues with the next open story): `ralph({action: 'run', prd_path: '"
                    + prdPath + "'})`\n   - Fix manually\n   - Reset PRD to retry: edit " + prdPath
                    + " and set `passes: false`";
        }
        String text = "# Ralph " + out.status() + "\n\n**Project:** " + prd.project() + "\n**Feature:** "
                + prd.feature() + "\n**Progress:** " + prd.passedCount() + "/" + prd.userStories().size()
                + " stories\n**Iterations:** " + out.iterations() + "/" + out.maxIterations()
                + "\n**Usage:** " + RalphLoop.cost(out.usage()) + "\n**Feature Branch:** " + prd.branchName()
                + "\n\n## Stories\n" + prd.storyChecklist() + "\n"
                + nextSteps;
        // as the original: not every story passing is an error result, so the caller sees the run fell short
        return out.allPassed() ? Result.ok(text) : Result.error(text);
    }

    private static Result status(Prd prd) {
        return Result.ok("# Ralph Status\n\n**Project:** " + prd.project() + "\n**Feature:** " + prd.feature()
                + "\n**Progress:** " + prd.passedCount() + "/" + prd.userStories().size() + " stories\n\n## Stories\n"
                + prd.storyChecklist());
    }

    /** The original's template; an existing file is never overwritten. */
    private static Result createPrd(Workspace ws, String keyBase, String prdPath, String project, String feature)
            throws InterruptedException, PrdException {
        if (ws.read(keyBase + ":exists", prdPath).isPresent()) {
            return Result.error(prdPath + " already exists; edit it, check it with ralph({action: 'status'}) or "
                    + "choose another prd_path");
        }
        String now = Instant.now().toString();
        Prd prd = new Prd(project, feature, branchName(feature), "1.0",
                List.of(new Prd.UserStory("US-001", "First user story", "Description of what needs to be implemented",
                        List.of("Criterion 1", "Criterion 2"), false, 1, List.of(), 3)),
                List.of(), new Prd.QualityChecks("cargo check", "cargo test", "cargo clippy", "cargo build"), now, now);
        ws.write(keyBase + ":create", prdPath, PrdFile.of(prd).json());
        return Result.ok("# PRD Created\n\nSaved to: " + prdPath + "\n\n**Project:** " + project + "\n**Feature:** "
                + feature + "\n**Branch:** " + prd.branchName() + "\n\nEdit the file to add your user stories and "
                + "the quality checks of your project, then run:\n```\nralph({action: 'run'})\n```");
    }

    static String branchName(String feature) {
        return "feature/" + feature.toLowerCase(Locale.ROOT).replace(' ', '-');
    }
}
