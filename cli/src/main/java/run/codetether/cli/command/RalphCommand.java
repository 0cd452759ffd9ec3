package run.codetether.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.platform.json.Json;

/** {@code codetether ralph run|status|create-prd}: the PRD-driven loop, with the original's actions. */
@Command(name = "ralph", description = "Autonomous PRD-driven development: one fresh agent per user story.",
        subcommands = {RalphCommand.Run.class, RalphCommand.Status.class, RalphCommand.CreatePrd.class})
public final class RalphCommand {
    @ParentCommand
    CodetetherCli root;

    @Command(name = "run", description = {"Run Ralph on a PRD in the task's workspace (the platform's ralph skill).",
        "The path is resolved in the workspace the platform gives the task."})
    static final class Run implements Callable<Integer> {
        @ParentCommand RalphCommand ralph;
        @Option(names = {"-p", "--prd"}, defaultValue = "prd.json", description = "Path of prd.json (default ${DEFAULT-VALUE}).") String prd;
        @Option(names = "--max-iterations", description = "Iterations at most (default: the platform's, 10).") Integer maxIterations;
        @Option(names = {"-m", "--model"}, paramLabel = "[PROVIDER/]MODEL") String model;
        @Option(names = "--detach") boolean detach;

        @Override
        public Integer call() throws Exception {
            String text = "Run Ralph on " + prd;
            Outgoing message = new Outgoing(text).meta("skill", "ralph").meta("prd_path", prd)
                    .meta("max_iterations", maxIterations);
            RunCommand.applyModel(message, null, model);
            return TaskStream.run(ralph.root, message, text, false, detach);
        }
    }

    @Command(name = "status", description = "Show a local prd.json's stories and progress.")
    static final class Status implements Callable<Integer> {
        @ParentCommand RalphCommand ralph;
        @Option(names = {"-p", "--prd"}, defaultValue = "prd.json", description = "Path of prd.json (default ${DEFAULT-VALUE}).") Path prd;

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(prd)) {
                throw new IllegalArgumentException(prd + " does not exist (create one: codetether ralph create-prd --feature NAME)");
            }
            JsonNode p = Json.mapper().readTree(prd.toFile());
            PrintWriter out = ralph.root.out();
            if (ralph.root.json()) {
                out.println(p.toPrettyString());
                return ExitCodes.OK;
            }
            int passed = 0;
            StringBuilder stories = new StringBuilder();
            for (JsonNode s : p.path("user_stories")) {
                boolean ok = s.path("passes").asBoolean();
                passed += ok ? 1 : 0;
                stories.append("- ").append(ok ? "[x] " : "[ ] ").append(s.path("id").asText()).append(": ")
                        .append(s.path("title").asText()).append('\n');
            }
            out.println("# Ralph Status\n");
            out.println("**Project:** " + p.path("project").asText());
            out.println("**Feature:** " + p.path("feature").asText());
            out.println("**Branch:** " + p.path("branch_name").asText());
            out.println("**Progress:** " + passed + "/" + p.path("user_stories").size() + " stories\n");
            out.print("## Stories\n" + stories);
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "create-prd", description = "Print (or write) a prd.json template for a feature.")
    static final class CreatePrd implements Callable<Integer> {
        @ParentCommand RalphCommand ralph;
        @Option(names = {"-f", "--feature"}, defaultValue = "new-feature", description = "Feature name.") String feature;
        @Option(names = "--project-name", defaultValue = "my-project", description = "Project name.") String project;
        @Option(names = {"-o", "--output"}, description = "Write the template here instead of printing it.") Path output;

        @Override
        public Integer call() throws Exception {
            ObjectNode prd = template(project, feature, Instant.now().toString());
            String text = prd.toPrettyString();
            if (output != null) {
                if (Files.exists(output)) {
                    throw new IllegalArgumentException(output + " exists; not overwriting it");
                }
                Files.writeString(output, text + "\n");
                ralph.root.out().println("wrote " + output + "; run it with: codetether ralph run --prd " + output);
            } else {
                ralph.root.out().println(text);
                if (!ralph.root.json()) {
                    ralph.root.err().println("\nSave this to prd.json and run: codetether ralph run");
                }
            }
            return ExitCodes.OK;
        }
    }

    /** The original's template, without its cargo quality checks (they fail every story outside Rust). */
    static ObjectNode template(String project, String feature, String now) {
        ObjectNode prd = Json.mapper().createObjectNode();
        prd.put("project", project);
        prd.put("feature", feature);
        prd.put("branch_name", "feature/" + feature.toLowerCase().replace(' ', '-'));
        prd.put("version", "1.0");
        ObjectNode story = prd.putArray("user_stories").addObject();
        story.put("id", "US-001");
        story.put("title", "First user story");
        story.put("description", "Description of what needs to be implemented");
        story.putArray("acceptance_criteria").add("Criterion 1").add("Criterion 2");
        story.put("passes", false);
        story.put("priority", 1);
        story.putArray("depends_on");
        story.put("complexity", 3);
        prd.putArray("technical_requirements");
        prd.putObject("quality_checks");
        prd.put("created_at", now);
        prd.put("updated_at", now);
        return prd;
    }
}
