package run.codetether.agent.domain.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import run.codetether.agent.domain.model.ToolSpec;
import run.codetether.agent.domain.session.Session;

/**
 * Tools that act on the agent's own state rather than on the workspace, so they run in the agent: {@code question}
 * (A2A input-required), {@code todo_read}/{@code todo_write}, {@code plan_enter}/{@code plan_exit}, {@code skill}
 * and {@code task} (a sub-agent). Names and arguments follow the original v1.0 tools; {@code task} is the
 * sub-agent the architecture names (the original's task-list actions are covered by todo_*). Every one but
 * {@code task} is read-only: it changes the agent's own session and nothing else. This class runs todo, plan and
 * skill; question and task are their own dispatch kinds.
 */
public final class AgentTools {
    public static final String QUESTION = "question";
    public static final String TASK = "task";
    /** The pseudo tool whose result tells the model what was wrong with a call that did not run. */
    public static final String INVALID = "invalid";

    public static final List<ToolSpec> SPECS = List.of(
            ToolSpec.readOnly(QUESTION, "Ask the user a question and wait for the answer. Use when you need information only the user has.",
                    "{\"type\":\"object\",\"properties\":{\"question\":{\"type\":\"string\",\"description\":\"Question to ask the user\"},"
                            + "\"options\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Optional list of valid responses\"},"
                            + "\"default\":{\"type\":\"string\",\"description\":\"Default value if the user gives none\"}},\"required\":[\"question\"]}"),
            ToolSpec.readOnly("todo_read", "Read the todo list of this session, optionally filtered.",
                    "{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"in_progress\",\"done\",\"blocked\"]},"
                            + "\"priority\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\",\"critical\"]}}}"),
            ToolSpec.readOnly("todo_write", "Add, update, delete or clear todo items of this session.",
                    "{\"type\":\"object\",\"properties\":{\"action\":{\"type\":\"string\",\"enum\":[\"add\",\"update\",\"delete\",\"clear\"],\"description\":\"Action to perform\"},"
                            + "\"id\":{\"type\":\"string\",\"description\":\"Todo ID (for update/delete)\"},"
                            + "\"content\":{\"type\":\"string\",\"description\":\"Todo content (for add/update)\"},"
                            + "\"status\":{\"type\":\"string\",\"enum\":[\"pending\",\"in_progress\",\"done\",\"blocked\"]},"
                            + "\"priority\":{\"type\":\"string\",\"enum\":[\"low\",\"medium\",\"high\",\"critical\"]}},\"required\":[\"action\"]}"),
            ToolSpec.readOnly("plan_enter", "Enter plan mode with a goal and ordered steps.",
                    "{\"type\":\"object\",\"properties\":{\"goal\":{\"type\":\"string\",\"description\":\"The overall goal to achieve\"},"
                            + "\"steps\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Ordered list of steps to complete the goal\"}},"
                            + "\"required\":[\"goal\",\"steps\"]}"),
            ToolSpec.readOnly("plan_exit", "Mark a plan step complete, or leave plan mode with a summary.",
                    "{\"type\":\"object\",\"properties\":{\"summary\":{\"type\":\"string\",\"description\":\"Summary of what was accomplished\"},"
                            + "\"step_complete\":{\"type\":\"integer\",\"description\":\"Mark step number as complete (1-indexed)\"},"
                            + "\"notes\":{\"type\":\"string\",\"description\":\"Notes for the completed step\"}}}"),
            ToolSpec.readOnly("skill", "List skills or load one (markdown instructions from the skills directory).",
                    "{\"type\":\"object\",\"properties\":{\"action\":{\"type\":\"string\",\"description\":\"'list' or 'load'\"},"
                            + "\"skill_name\":{\"type\":\"string\",\"description\":\"Name of the skill to load (for 'load')\"}},\"required\":[\"action\"]}"),
            ToolSpec.mutating(TASK, "Delegate a self-contained piece of work to a sub-agent with the same tools; returns its final answer.",
                    "{\"type\":\"object\",\"properties\":{\"description\":{\"type\":\"string\",\"description\":\"Short description of the sub-task\"},"
                            + "\"prompt\":{\"type\":\"string\",\"description\":\"Full instructions for the sub-agent\"}},\"required\":[\"description\",\"prompt\"]}"));

    record Result(String content, boolean error) {}

    private final Path skillsDir;

    public AgentTools(Path skillsDir) {
        this.skillsDir = skillsDir;
    }

    public static boolean isAgentTool(String name) {
        return SPECS.stream().anyMatch(s -> s.name().equals(name));
    }

    /** Runs todo_*, plan_* or skill on the already parsed arguments. */
    Result run(String name, JsonNode a, Session session) {
        return switch (name) {
            case "todo_read" -> todoRead(a, session);
            case "todo_write" -> todoWrite(a, session);
            case "plan_enter" -> planEnter(a, session);
            case "plan_exit" -> planExit(a, session);
            case "skill" -> skill(a);
            default -> new Result("not a local tool: " + name, true);
        };
    }

    private Result todoRead(JsonNode a, Session s) {
        String status = a.path("status").asText(null);
        String priority = a.path("priority").asText(null);
        List<Session.Todo> out = s.todos.stream()
                .filter(t -> status == null || status.equals(t.status()))
                .filter(t -> priority == null || priority.equals(t.priority()))
                .toList();
        if (out.isEmpty()) {
            return new Result("No todos.", false);
        }
        StringBuilder sb = new StringBuilder();
        for (Session.Todo t : out) {
            sb.append("[").append(t.status()).append("] ").append(t.id()).append(" (").append(t.priority()).append("): ")
                    .append(t.content()).append('\n');
        }
        return new Result(sb.toString().strip(), false);
    }

    private Result todoWrite(JsonNode a, Session s) {
        String action = a.path("action").asText("");
        String id = a.path("id").asText(null);
        switch (action) {
            case "add" -> {
                String content = a.path("content").asText("");
                if (content.isBlank()) {
                    return new Result("content is required for add", true);
                }
                String newId = id != null ? id : UUID.randomUUID().toString().substring(0, 8);
                s.todos.add(new Session.Todo(newId, content, a.path("status").asText("pending"), a.path("priority").asText("medium")));
                return new Result("Added todo " + newId, false);
            }
            case "update" -> {
                for (int i = 0; i < s.todos.size(); i++) {
                    Session.Todo t = s.todos.get(i);
                    if (t.id().equals(id)) {
                        s.todos.set(i, new Session.Todo(t.id(), a.path("content").asText(t.content()),
                                a.path("status").asText(t.status()), a.path("priority").asText(t.priority())));
                        return new Result("Updated todo " + id, false);
                    }
                }
                return new Result("No todo with id " + id, true);
            }
            case "delete" -> {
                boolean removed = s.todos.removeIf(t -> t.id().equals(id));
                return removed ? new Result("Deleted todo " + id, false) : new Result("No todo with id " + id, true);
            }
            case "clear" -> {
                s.todos.clear();
                return new Result("Cleared all todos", false);
            }
            default -> {
                return new Result("action must be one of add, update, delete, clear", true);
            }
        }
    }

    private Result planEnter(JsonNode a, Session s) {
        if (s.plan != null) {
            return new Result("Already in plan mode. Exit current plan first.", true);
        }
        List<String> steps = new ArrayList<>();
        a.path("steps").forEach(n -> steps.add(n.asText()));
        if (steps.isEmpty()) {
            return new Result("At least one step is required", true);
        }
        List<Boolean> done = new ArrayList<>();
        steps.forEach(x -> done.add(false));
        s.plan = new Session.Plan(a.path("goal").asText(""), steps, done);
        StringBuilder sb = new StringBuilder("Plan Mode Activated\n\nGoal: ").append(s.plan.goal()).append("\n\nSteps:\n");
        for (int i = 0; i < steps.size(); i++) {
            sb.append("  ").append(i + 1).append(". ").append(steps.get(i)).append('\n');
        }
        return new Result(sb.toString().strip(), false);
    }

    private Result planExit(JsonNode a, Session s) {
        if (s.plan == null) {
            return new Result("Not in plan mode.", true);
        }
        if (a.has("step_complete")) {
            int n = a.path("step_complete").asInt();
            if (n < 1 || n > s.plan.steps().size()) {
                return new Result("step_complete must be between 1 and " + s.plan.steps().size(), true);
            }
            List<Boolean> done = new ArrayList<>(s.plan.completed());
            done.set(n - 1, true);
            s.plan = new Session.Plan(s.plan.goal(), s.plan.steps(), done);
            long count = done.stream().filter(b -> b).count();
            if (count < done.size()) {
                return new Result("Step " + n + " complete (" + count + "/" + done.size() + ")", false);
            }
        }
        long count = s.plan.completed().stream().filter(b -> b).count();
        String summary = a.path("summary").asText("");
        String out = "Plan mode exited. Completed " + count + "/" + s.plan.steps().size() + " steps."
                + (summary.isBlank() ? "" : "\n\nSummary: " + summary);
        s.plan = null;
        return new Result(out, false);
    }

    private Result skill(JsonNode a) {
        String action = a.path("action").asText("");
        if ("list".equals(action)) {
            TreeSet<String> names = new TreeSet<>();
            if (Files.isDirectory(skillsDir)) {
                try (Stream<Path> entries = Files.list(skillsDir)) {
                    entries.forEach(p -> {
                        String f = p.getFileName().toString();
                        if (Files.isRegularFile(p.resolve("SKILL.md"))) {
                            names.add(f);
                        } else if (f.endsWith(".md") && Files.isRegularFile(p)) {
                            names.add(f.substring(0, f.length() - 3));
                        }
                    });
                } catch (IOException e) {
                    return new Result("cannot list skills: " + e.getMessage(), true);
                }
            }
            return new Result(names.isEmpty() ? "No skills installed in " + skillsDir : "Available skills: " + String.join(", ", names), false);
        }
        if ("load".equals(action)) {
            String name = a.path("skill_name").asText("");
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                return new Result("skill_name must be a plain name (letters, digits, . _ -)", true);
            }
            for (Path p : List.of(skillsDir.resolve(name).resolve("SKILL.md"), skillsDir.resolve(name + ".md"))) {
                if (Files.isRegularFile(p)) {
                    try {
                        return new Result(Files.readString(p), false);
                    } catch (IOException e) {
                        return new Result("cannot read skill " + name + ": " + e.getMessage(), true);
                    }
                }
            }
            return new Result("Skill '" + name + "' not found in " + skillsDir, true);
        }
        return new Result("action must be 'list' or 'load'", true);
    }
}
