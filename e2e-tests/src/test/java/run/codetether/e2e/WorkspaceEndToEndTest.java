package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.fixtures.git.Git;
import run.codetether.fixtures.git.GitDaemon;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 14 through real processes: a task whose {@code message.metadata.workspace.git} names a repository on a real
 * loopback {@code git daemon}; tools-service clones it before the first model call, the scripted model fixes a file,
 * and the task ends with the {@code changes} artifact whose diff {@code git apply} accepts on a fresh clone.
 */
class WorkspaceEndToEndTest {
    @TempDir
    static Path workspaces;

    @TempDir
    static Path repos;

    static GitDaemon daemon;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess gateway;
    static A2aHttp a2a;

    @BeforeAll
    static void startPlatform() throws Exception {
        Git.project(repos, "calc");
        daemon = GitDaemon.start(repos);
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = ScriptedLlmServer.start();
        // The packaged jars run in the prod profile, where no git remote is allowed unless configured.
        tools = ServiceProcess.start("tools-service", Map.of("CODETETHER_TOOLS_WORKSPACE_ROOT", workspaces.toString(),
                "CODETETHER_TOOLS_GIT_ALLOW_LOOPBACK", "true"));
        gateway = ServiceProcess.start("gateway-service", Map.of("CODETETHER_KAFKA_BOOTSTRAP", kafka));
        tools.awaitReady(Duration.ofSeconds(90));
        agent = ServiceProcess.startAgent(kafka, llm.openAiBaseUrl(), tools, workspaces);
        agent.awaitReady(Duration.ofSeconds(90));
        gateway.awaitReady(Duration.ofSeconds(90));
        a2a = new A2aHttp(gateway);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {gateway, agent, tools, llm, daemon}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void aTaskOnAGitWorkspaceEndsWithADiffThatAppliesToAFreshClone() throws Exception {
        String fixed = "class Calc {\n    static int add(int a, int b) {\n        return a + b;\n    }\n}\n";
        llm.enqueue(
                Reply.tools(Reply.call("call_1", "bash", Map.of("command", "cat src/Calc.java"))),
                Reply.tools(Reply.call("call_2", "write_file", Map.of("path", "src/Calc.java", "content", fixed))),
                Reply.text("Fixed Calc.add."));

        String url = daemon.url("calc.git");
        ObjectNode params = A2aHttp.JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.put("contextId", "ctx-" + UUID.randomUUID());
        message.putArray("parts").addObject().put("text", "Fix Calc.add");
        message.putObject("metadata").putObject(MetadataKeys.WORKSPACE).putObject("git").put("url", url).put("ref", "main");
        params.putObject("configuration").put("returnImmediately", true);
        params.putObject("metadata").put("provider", "local");
        String taskId = a2a.rpc("SendMessage", params).path("task").path("id").asText();

        JsonNode task = a2a.awaitFinal(taskId, Duration.ofSeconds(90), agent, tools);
        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(),
                task.toPrettyString() + "\n--- tools log:\n" + tools.tail() + "\n--- agent log:\n" + agent.tail());
        assertTrue(llm.requests().get(1).toolResults().get(0).content().contains("return a - b"),
                "the model read the cloned file: " + llm.requests().get(1).bodyText());

        JsonNode changes = null;
        for (JsonNode artifact : task.path("artifacts")) {
            if (WorkspaceExtension.CHANGES_ARTIFACT.equals(artifact.path("name").asText())) {
                changes = artifact;
            }
        }
        assertNotNull(changes, "no changes artifact: " + task.toPrettyString());
        String diff = null;
        for (JsonNode part : changes.path("parts")) {
            if (WorkspaceExtension.DIFF_MEDIA_TYPE.equals(part.path("mediaType").asText()) && part.has("text")) {
                diff = part.path("text").asText();
            }
        }
        assertNotNull(diff, "no text/x-diff part: " + changes.toPrettyString());
        assertTrue(diff.contains("src/Calc.java") && diff.contains("+        return a + b;"), diff);

        Path clone = repos.resolve("fresh");
        Git.run(repos, "clone", "-q", url, clone.toString());
        Path patch = repos.resolve("changes.diff");
        Files.writeString(patch, diff);
        Git.run(clone, "apply", "--check", patch.toString());
        Git.run(clone, "apply", patch.toString());
        assertEquals(fixed, Files.readString(clone.resolve("src/Calc.java")));
    }
}
