package run.codetether.agent.domain.ralph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import run.codetether.agent.domain.dispatch.ToolInvocation;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.loop.LoopTool;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.provider.ProviderException;

/**
 * The original's {@code prd} tool: {@code analyze} a task into the questions a PRD needs, {@code generate} a PRD
 * from the answers, {@code validate} one (prd_json, prd_path or inline stories) and {@code save} it for ralph.
 * Beyond the original, {@code generate} with a task_description and no stories drafts the stories with one model
 * call; the draft must parse and pass validation (one retry with the errors) or the call fails with them.
 */
public final class PrdTool implements LoopTool {
    public static final String NAME = "prd";

    private static final ToolSpec SPEC = ToolSpec.mutating(NAME, """
            Generate and validate structured PRDs (Product Requirements Documents) for complex tasks.

            Use this tool when you recognize a task is complex and needs to be broken down into user stories.

            Actions:
            - analyze: Analyze a task description and return what questions need answering
            - generate: Generate a PRD JSON from provided answers (stories); with only a task_description the
              stories are drafted by the model and validated
            - validate: Validate a PRD before ralph execution (checks schema, dependencies, etc.)
            - save: Save a PRD to a file for ralph to execute (validated first)

            The workflow is:
            1. Call analyze with the task_description to get questions
            2. Answer the questions and call generate with your answers
            3. Call validate to ensure the PRD is valid before saving
            4. Call save to write the PRD to prd.json
            5. Invoke ralph to execute the PRD""",
            """
            {"type":"object","properties":{
            "action":{"type":"string","enum":["analyze","generate","validate","save"],"description":"Action to perform"},
            "task_description":{"type":"string","description":"Description of the complex task (for analyze, or generate without stories)"},
            "project":{"type":"string","description":"Project name (for generate/validate)"},
            "feature":{"type":"string","description":"Feature name (for generate/validate)"},
            "stories":{"type":"array","description":"User stories (for generate/validate)","items":{"type":"object","properties":{
              "id":{"type":"string"},"title":{"type":"string"},"description":{"type":"string"},
              "acceptance_criteria":{"type":"array","items":{"type":"string"}},"priority":{"type":"integer"},
              "depends_on":{"type":"array","items":{"type":"string"}},"complexity":{"type":"integer"}},
              "required":["id","title","description"]}},
            "quality_checks":{"type":"object","properties":{"typecheck":{"type":"string"},"test":{"type":"string"},
              "lint":{"type":"string"},"build":{"type":"string"}}},
            "prd_path":{"type":"string","description":"Path to PRD file (for validate from file, or save destination)"},
            "prd_json":{"type":"string","description":"Raw PRD JSON string to validate or save (alternative to prd_path/stories)"}},
            "required":["action"]}""");

    private static final String DRAFT_SYSTEM = """
            You turn a software task into a PRD for Ralph, an agent loop that implements one user story per
            iteration and marks it done only when the quality checks pass. Answer with ONE JSON object and nothing
            else, in this shape:
            {"project":"...","feature":"...","stories":[{"id":"US-001","title":"...","description":"...",
             "acceptance_criteria":["..."],"priority":1,"depends_on":[],"complexity":2}],
             "quality_checks":{"typecheck":"...","test":"...","lint":"...","build":"..."}}
            Rules: small stories (one iteration each), ids unique, depends_on only names earlier stories (no
            cycles), priority 1 is the highest, complexity 1-5, every story has verifiable acceptance criteria;
            quality_checks are shell commands of the project's own toolchain (leave out the ones that do not apply).""";

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public Result run(ToolInvocation call, LoopAccess loop) throws InterruptedException {
        JsonNode a = call.arguments();
        Workspace ws = new Workspace(loop);
        String key = NAME + ":" + loop.taskId() + ":" + call.id();
        try {
            return switch (a.path("action").asText("")) {
                case "analyze" -> analyze(a.path("task_description").asText(""));
                case "generate" -> generate(a, loop);
                case "validate" -> validate(a, ws, key);
                case "save" -> save(a, ws, key);
                default -> Result.error("Unknown action: " + a.path("action").asText("")
                        + ". Use 'analyze', 'generate', 'validate', or 'save'");
            };
        } catch (PrdException e) {
            return Result.error(e.getMessage());
        }
    }

    private static Result analyze(String task) {
        if (task.isBlank()) {
            return Result.error("task_description is required for analyze");
        }
        return Result.ok("""
                # Task Analysis

                ## Task Description
                %s

                ## Questions to Answer

                To generate a proper PRD for this task, please provide:

                1. **Project Name**: What is the name of this project?

                2. **Feature Name**: What specific feature or capability is being implemented?

                3. **User Stories**: Break down the task into discrete user stories. For each:
                   - ID (e.g., US-001)
                   - Title (short description)
                   - Description (detailed requirements)
                   - Acceptance Criteria (how to verify it's done)
                   - Priority (1=highest)
                   - Dependencies (which stories must complete first)
                   - Complexity (1-5)

                4. **Quality Checks**: What commands verify the work?
                   - Typecheck command (e.g., `mvn -q compile`, `cargo check`, `tsc --noEmit`)
                   - Test command (e.g., `mvn -q test`, `cargo test`)
                   - Lint command (e.g., `cargo clippy`, `eslint .`)
                   - Build command (e.g., `mvn -q package`, `cargo build`)

                ## Example Response Format

                ```json
                {
                  "project": "codetether",
                  "feature": "LSP Integration",
                  "stories": [
                    {
                      "id": "US-001",
                      "title": "Add lsp-types dependency",
                      "description": "Add lsp-types crate to Cargo.toml",
                      "acceptance_criteria": ["Cargo.toml has lsp-types", "cargo check passes"],
                      "priority": 1,
                      "depends_on": [],
                      "complexity": 1
                    },
                    {
                      "id": "US-002",
                      "title": "Implement LSP client",
                      "description": "Create LSP client that can spawn language servers",
                      "acceptance_criteria": ["Can spawn rust-analyzer", "Can send initialize request"],
                      "priority": 2,
                      "depends_on": ["US-001"],
                      "complexity": 4
                    }
                  ],
                  "quality_checks": {
                    "typecheck": "cargo check",
                    "test": "cargo test",
                    "lint": "cargo clippy",
                    "build": "cargo build --release"
                  }
                }
                ```

                Once you have the answers, call `prd({action: 'generate', ...})` with the data.
                """.formatted(task));
    }

    private Result generate(JsonNode a, LoopAccess loop) throws InterruptedException, PrdException {
        Prd prd;
        String drafted = "";
        if (a.path("stories").isArray() && !a.path("stories").isEmpty()) {
            prd = fromParams(a);
        } else if (!a.path("task_description").asText("").isBlank()) {
            prd = draft(a, loop);
            drafted = "Drafted by the model from the task description and validated.\n\n";
        } else {
            return Result.error("At least one story is required (or a task_description to draft them from)");
        }
        PrdValidation v = PrdValidation.of(prd);
        String json = PrdFile.of(prd).json();
        if (!v.valid()) {
            return Result.error("# Generated PRD is not valid\n\n" + v.summary() + "\n\n```json\n" + json + "```");
        }
        return Result.ok("# Generated PRD\n\n" + drafted + "```json\n" + json + "```\n\n" + v.summary()
                + "\n\nCall `prd({action: 'validate'})` to check for errors, then `prd({action: 'save'})` to write to"
                + " file.");
    }

    /** One model call for the stories; a draft that does not parse or validate is sent back once with why. */
    private Prd draft(JsonNode a, LoopAccess loop) throws InterruptedException, PrdException {
        StringBuilder ask = new StringBuilder("Task:\n").append(a.path("task_description").asText());
        if (a.hasNonNull("project")) {
            ask.append("\n\nProject name: ").append(a.path("project").asText());
        }
        if (a.hasNonNull("feature")) {
            ask.append("\nFeature name: ").append(a.path("feature").asText());
        }
        if (a.path("quality_checks").isObject()) {
            ask.append("\nQuality checks to use: ").append(a.path("quality_checks"));
        }
        List<ChatMessage> messages = new java.util.ArrayList<>(List.of(new ChatMessage.User(ask.toString())));
        String problem = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            ModelReply reply;
            try {
                reply = loop.chat(new ModelRequest(loop.model().modelId(), DRAFT_SYSTEM, messages, List.of()));
            } catch (ProviderException e) {
                throw new PrdException("prd generate: the model call failed: " + e.getMessage());
            }
            try {
                ObjectNode params = draftParams(reply.text(), a);
                Prd prd = fromParams(params);
                PrdValidation v = PrdValidation.of(prd);
                if (v.valid()) {
                    return prd;
                }
                problem = "the draft is not a valid PRD:\n" + v.summary();
            } catch (PrdException e) {
                problem = e.getMessage();
            }
            messages.add(new ChatMessage.Assistant(reply.text(), List.of()));
            messages.add(new ChatMessage.User("That draft cannot be used: " + problem
                    + "\nAnswer again with the corrected JSON object only."));
        }
        throw new PrdException("prd generate: the model's draft was not a valid PRD after 2 attempts; last problem: "
                + problem + "\nGive the stories yourself: prd({action: 'generate', project, feature, stories: [...]})");
    }

    /** The draft's JSON object (fences and prose around it ignored); project/feature given in the call win. */
    private static ObjectNode draftParams(String text, JsonNode a) throws PrdException {
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new PrdException("the answer holds no JSON object");
        }
        JsonNode n;
        try {
            n = PrdFile.JSON.readTree(text.substring(start, end + 1));
        } catch (IOException e) {
            throw new PrdException("the answer is not valid JSON: " + e.getMessage());
        }
        if (!n.isObject()) {
            throw new PrdException("the answer is not a JSON object");
        }
        ObjectNode o = (ObjectNode) n;
        if (!o.has("stories") && o.has("user_stories")) {
            o.set("stories", o.get("user_stories"));
        }
        for (String f : List.of("project", "feature", "quality_checks")) {
            if (a.hasNonNull(f)) {
                o.set(f, a.get(f));
            }
        }
        return o;
    }

    /** A PRD from the tool's parameters (project, feature, stories, quality_checks), checked as prd.json is. */
    static Prd fromParams(JsonNode a) throws PrdException {
        ObjectNode root = PrdFile.JSON.createObjectNode();
        root.put("project", a.path("project").asText("Project"));
        root.put("feature", a.path("feature").asText("Feature"));
        JsonNode stories = a.path("stories");
        if (!stories.isArray()) {
            throw new PrdException("stories must be an array of {id, title, description, ...}");
        }
        ArrayNode copy = root.putArray("user_stories");
        for (JsonNode s : stories) {
            JsonNode c = s.deepCopy();
            if (c.isObject()) {
                ((ObjectNode) c).put("passes", false); // a new PRD starts with every story open
            }
            copy.add(c);
        }
        if (a.path("quality_checks").isObject()) {
            root.set("quality_checks", a.get("quality_checks"));
        }
        Prd parsed = PrdFile.parse("stories", root.toString()).prd();
        String now = Instant.now().toString();
        return new Prd(parsed.project(), parsed.feature(), RalphTool.branchName(parsed.feature()), "1.0",
                parsed.userStories(), parsed.technicalRequirements(), parsed.qualityChecks(), now, now);
    }

    private static Result validate(JsonNode a, Workspace ws, String key) throws InterruptedException, PrdException {
        Prd prd;
        if (a.hasNonNull("prd_json")) {
            prd = PrdFile.parse("prd_json", a.path("prd_json").asText()).prd();
        } else if (a.hasNonNull("prd_path")) {
            String path = a.path("prd_path").asText();
            Optional<String> text = ws.read(key + ":read", path);
            if (text.isEmpty()) {
                return Result.error("PRD file not found: " + path);
            }
            prd = PrdFile.parse(path, text.get()).prd();
        } else if (a.path("stories").isArray()) {
            Prd p = fromParams(a);
            prd = new Prd(p.project(), p.feature(), "", p.version(), p.userStories(), List.of(),
                    a.path("quality_checks").isObject() ? p.qualityChecks() : Prd.QualityChecks.NONE, "", "");
        } else {
            return Result.error("validate requires one of: prd_json, prd_path, or stories");
        }
        PrdValidation v = PrdValidation.of(prd);
        if (!v.valid()) {
            return Result.error("# PRD Validation: FAILED\n\n" + v.summary() + "\n\nFix these issues before saving.");
        }
        return Result.ok("# PRD Validation: PASSED\n\nProject: " + prd.project() + "\nFeature: " + prd.feature()
                + "\nStories: " + prd.userStories().size() + "\nExecution stages: " + prd.stages().size() + "\n\n"
                + v.summary() + "\n\nReady for: `prd({action: 'save'})` then `ralph({action: 'run'})`");
    }

    /**
     * Writes the PRD (from prd_json or from the stories) to prd_path, default prd.json. Unlike the original it is
     * validated first and gets no cargo quality checks by default (they would fail every story outside Rust).
     */
    private static Result save(JsonNode a, Workspace ws, String key) throws InterruptedException, PrdException {
        String path = a.path("prd_path").asText("").isBlank() ? RalphSettings.PRD_PATH : a.path("prd_path").asText();
        if (path.startsWith("/") || List.of(path.split("/")).contains("..")) {
            return Result.error("prd: prd_path must be relative to the workspace (got " + path + ")");
        }
        PrdFile file;
        if (a.hasNonNull("prd_json")) {
            file = PrdFile.parse("prd_json", a.path("prd_json").asText());
        } else if (a.path("stories").isArray() && !a.path("stories").isEmpty()) {
            file = PrdFile.of(fromParams(a));
        } else {
            return Result.error("At least one story is required for save (stories or prd_json)");
        }
        PrdValidation v = PrdValidation.of(file.prd());
        if (!v.valid()) {
            return Result.error("# PRD not saved: validation FAILED\n\n" + v.summary());
        }
        ws.write(key + ":save", path, file.json());
        return Result.ok("PRD saved to: " + path + "\n\n" + v.summary() + "\n\nRun with: ralph({action: 'run', "
                + "prd_path: '" + path + "'})");
    }
}
