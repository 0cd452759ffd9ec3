package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
 * and the task ends with the {@code changes} artifact whose diff {@code git apply} accepts on a fresh clone. And the
 * user's own checkout as the workspace: {@code codetether run --workspace . --apply} (the packaged CLI) sends it as a
 * git bundle with its uncommitted files, the gateway stages it at tools-service, and the change lands in the checkout;
 * an archive over the gateway's cap is a clear error and starts no task.
 */
class WorkspaceEndToEndTest {
    @TempDir
    static Path workspaces;

    @TempDir
    static Path repos;

    static final int ARCHIVE_CAP = 65536;
    static final String TOKEN = "ct-e2e-token-" + UUID.randomUUID();

    @TempDir
    static Path clientHome;

    static final LocalPlatform platform = new LocalPlatform();
    static GitDaemon daemon;
    static ScriptedLlmServer llm;
    static ServiceProcess tools;
    static ServiceProcess agent;
    static ServiceProcess gateway;
    static A2aHttp a2a;

    @BeforeAll
    static void startPlatform() throws Exception {
        Git.project(repos, "calc");
        daemon = platform.own(GitDaemon.start(repos));
        String kafka = SharedKafkaBroker.bootstrapServers();
        llm = platform.own(ScriptedLlmServer.start());
        // The packaged jars run in the prod profile, where no git remote is allowed unless configured.
        // a git credential for the daemon's host: the leak probe looks for it everywhere afterwards
        Path secrets = repos.resolve("tools-secrets.json");
        Files.writeString(secrets, "{\"git\": {\"127.0.0.1\": {\"token\": \"" + TOKEN + "\"}}}");
        Files.setPosixFilePermissions(secrets, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        tools = platform.tools(workspaces, Map.of("CODETETHER_TOOLS_GIT_ALLOW_LOOPBACK", "true",
                "CODETETHER_SECRETS_FILE", secrets.toString()));
        // the gateway stages workspace archives at this tools-service; a small cap so the oversized case is cheap
        gateway = platform.gateway(kafka, Map.of(
                "CODETETHER_GATEWAY_TOOLS_HOST", "127.0.0.1", "CODETETHER_GATEWAY_TOOLS_PORT", String.valueOf(tools.grpcPort),
                "CODETETHER_GATEWAY_WORKSPACE_MAX_ARCHIVE_BYTES", String.valueOf(ARCHIVE_CAP)));
        agent = platform.agent(kafka, llm.openAiBaseUrl(), tools, workspaces);
        platform.awaitReady(Duration.ofSeconds(90));
        a2a = new A2aHttp(gateway);
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        platform.close();
    }

    @Test
    void aTaskOnAGitWorkspaceEndsWithADiffThatAppliesToAFreshClone() throws Exception {
        String fixed = "class Calc {\n    static int add(int a, int b) {\n        return a + b;\n    }\n}\n";
        llm.enqueue(
                Reply.tools(Reply.call("call_1", "bash", Map.of("command", "cat src/Calc.java"))),
                Reply.tools(Reply.call("call_2", "write_file", Map.of("path", "src/Calc.java", "content", fixed))),
                Reply.text("Fixed Calc.add."));
        int before = llm.requests().size(); // the class's tests share the scripted model, in any order

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
        assertTrue(llm.requests().get(before + 1).toolResults().get(0).content().contains("return a - b"),
                "the model read the cloned file: " + llm.requests().get(before + 1).bodyText());

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

    @Test
    void runWorkspaceApplySendsTheCheckoutWithItsUncommittedFileAndTheChangeLandsInIt() throws Exception {
        Path mine = repos.resolve("mine");
        Git.run(repos, "clone", "-q", daemon.url("calc.git"), mine.toString());
        // the user's uncommitted work travels with the checkout, and the diff applies on top of it
        Files.writeString(mine.resolve("README.md"), "# calc\n\nLocal edit, not committed.\n");
        Files.writeString(mine.resolve("NOTES.md"), "untracked: add must add\n");
        String fixed = "class Calc {\n    static int add(int a, int b) {\n        return a + b;\n    }\n}\n";
        llm.enqueue(
                Reply.tools(Reply.call("call_a1", "bash", Map.of("command", "cat NOTES.md README.md src/Calc.java"))),
                Reply.tools(Reply.call("call_a2", "write_file", Map.of("path", "src/Calc.java", "content", fixed))),
                Reply.text("Fixed Calc.add."));
        int before = llm.requests().size();

        Cli r = cli(mine, "run", "--provider", "local", "--workspace", ".", "--apply", "Fix Calc.add");

        assertEquals(0, r.exit(), r.out() + r.err() + "\n--- gateway log:\n" + gateway.tail() + "\n--- tools log:\n"
                + tools.tail());
        assertTrue(r.err().contains("codetether: workspace: git checkout ") && r.err().contains("sent as mine.bundle"),
                r.err());
        String seen = llm.requests().get(before + 1).toolResults().get(0).content();
        assertTrue(seen.contains("untracked: add must add") && seen.contains("Local edit, not committed.")
                && seen.contains("return a - b"), "the model saw the checkout as it is: " + seen);
        assertTrue(r.out().contains("  src/Calc.java\n1 file changed, +1 -1 applied to"), r.out());
        assertEquals(fixed, Files.readString(mine.resolve("src/Calc.java")));
        assertEquals("# calc\n\nLocal edit, not committed.\n", Files.readString(mine.resolve("README.md")));
        assertEquals("untracked: add must add\n", Files.readString(mine.resolve("NOTES.md")));
        assertTrue(Git.run(mine, "status", "--porcelain").contains(" M src/Calc.java"));
    }

    @Test
    void anArchiveOverTheGatewaysCapIsAClearErrorAndStartsNoTask() throws Exception {
        Path big = repos.resolve("big");
        Git.run(repos, "clone", "-q", daemon.url("calc.git"), big.toString());
        byte[] noise = new byte[ARCHIVE_CAP + 8192];
        new java.util.Random(14).nextBytes(noise); // incompressible: the bundle is larger than the cap
        Files.write(big.resolve("blob.bin"), noise);
        int before = llm.requests().size();
        int tasks = a2a.rpc("ListTasks", A2aHttp.JSON.createObjectNode()).path("tasks").size();

        // no --workspace: inside a git checkout the checkout is the default
        Cli r = cli(big, "run", "--provider", "local", "Summarise the repository");

        assertEquals(3, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("sent as big.bundle") && r.err().contains("--no-workspace to send nothing"), r.err());
        assertTrue(r.err().contains("the limit is " + ARCHIVE_CAP + " bytes (codetether.gateway.workspace.max-archive-bytes)"),
                r.err());
        assertEquals(tasks, a2a.rpc("ListTasks", A2aHttp.JSON.createObjectNode()).path("tasks").size(), "no task");
        assertEquals(before, llm.requests().size(), "no model call");
    }

    @Test
    void aTarballOverRestAndABundleOverJsonRpc03AreStagedAndBecomeTheWorkspace() throws Exception {
        Path plain = Files.createDirectories(repos.resolve("plain"));
        Files.writeString(plain.resolve("hello.txt"), "hello from a tarball\n");
        Path tgz = repos.resolve("plain.tgz");
        Process tar = new ProcessBuilder("tar", "-czf", tgz.toString(), "-C", plain.toString(), ".").start();
        assertEquals(0, tar.waitFor());
        llm.enqueue(Reply.tools(Reply.call("call_t1", "bash", Map.of("command", "cat hello.txt"))), Reply.text("Read."));
        int before = llm.requests().size();

        // HTTP+JSON (A2A 1.0): no metadata, the gzip file part is the workspace
        ObjectNode rest = A2aHttp.JSON.createObjectNode();
        ObjectNode message = rest.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER");
        var parts = message.putArray("parts");
        parts.addObject().put("text", "Read hello.txt");
        parts.addObject().put("raw", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(tgz)))
                .put("mediaType", "application/gzip").put("filename", "plain.tgz");
        rest.putObject("configuration").put("returnImmediately", true);
        rest.putObject("metadata").put("provider", "local");
        JsonNode sent = post("/message:send", rest, "1.0");
        JsonNode task = a2a.awaitFinal(sent.path("task").path("id").asText(), Duration.ofSeconds(90), agent, tools);
        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(), task.toPrettyString());
        assertTrue(llm.requests().get(before + 1).toolResults().get(0).content().contains("hello from a tarball"),
                llm.requests().get(before + 1).bodyText());
        JsonNode logged = task.at("/history/0/parts/1");
        assertTrue(!logged.has("raw") && logged.path("url").asText().startsWith(WorkspaceExtension.STAGED_ARCHIVE_URI_PREFIX),
                "the task's history names the staged archive, not its bytes: " + logged);

        // JSON-RPC, A2A 0.3: a git bundle named by metadata.workspace.archive.file_ref
        Path bundle = repos.resolve("calc.bundle");
        Git.run(repos.resolve("calc-src"), "bundle", "create", "-q", bundle.toString(), "HEAD", "main");
        llm.enqueue(Reply.tools(Reply.call("call_t2", "bash", Map.of("command", "cat src/Calc.java"))),
                Reply.text("Read."));
        before = llm.requests().size();
        ObjectNode rpc = A2aHttp.JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 3).put("method", "message/send");
        ObjectNode params = rpc.putObject("params");
        ObjectNode m03 = params.putObject("message").put("kind", "message").put("messageId", UUID.randomUUID().toString())
                .put("role", "user");
        var parts03 = m03.putArray("parts");
        parts03.addObject().put("kind", "text").put("text", "Read Calc");
        parts03.addObject().put("kind", "file").putObject("file").put("name", "calc.bundle")
                .put("mimeType", "application/octet-stream")
                .put("bytes", java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(bundle)));
        m03.putObject("metadata").putObject("workspace").putObject("archive").put("file_ref", 1);
        params.putObject("configuration").put("blocking", false);
        params.putObject("metadata").put("provider", "local");
        JsonNode answer = post("/", rpc, "0.3");
        assertTrue(answer.has("result"), answer.toString());
        JsonNode task03 = a2a.awaitFinal(answer.at("/result/id").asText(), Duration.ofSeconds(90), agent, tools);
        assertEquals("TASK_STATE_COMPLETED", task03.path("status").path("state").asText(), task03.toPrettyString());
        assertTrue(llm.requests().get(before + 1).toolResults().get(0).content().contains("return a - b"),
                llm.requests().get(before + 1).bodyText());
    }

    private static JsonNode post(String path, JsonNode body, String version) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(gateway.url(path)).header("Content-Type", "application/json")
                .header("A2A-Version", version).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        var response = java.net.http.HttpClient.newHttpClient().send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return A2aHttp.JSON.readTree(response.body());
    }

    @Test
    void aTaskPushesItsBranchARefusedHostFailsClearlyAndTheGitTokenLeaksNowhere() throws Exception {
        llm.enqueue(
                Reply.tools(Reply.call("call_p1", "write_file", Map.of("path", "PUSHED.md", "content", "pushed\n"))),
                Reply.text("Add PUSHED.md\n\nA file to prove the push."));
        String url = daemon.url("calc.git");
        ObjectNode params = A2aHttp.JSON.createObjectNode();
        ObjectNode message = params.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER").put("contextId", "ctx-" + UUID.randomUUID());
        message.putArray("parts").addObject().put("text", "Add PUSHED.md");
        ObjectNode ws = message.putObject("metadata").putObject(MetadataKeys.WORKSPACE);
        ws.putObject("git").put("url", url).put("ref", "main");
        ws.putObject("push").put("branch", "codetether/e2e-push");
        params.putObject("configuration").put("returnImmediately", true);
        params.putObject("metadata").put("provider", "local");
        String pushTask = a2a.rpc("SendMessage", params).path("task").path("id").asText();
        JsonNode pushed = a2a.awaitFinal(pushTask, Duration.ofSeconds(90), agent, tools);
        assertEquals("TASK_STATE_COMPLETED", pushed.path("status").path("state").asText(), pushed.toPrettyString());
        String remote = Git.run(repos, "ls-remote", url, "refs/heads/codetether/e2e-push");
        assertTrue(remote.contains("refs/heads/codetether/e2e-push"), "the branch is on the server: " + remote);
        String named = pushed.toString();
        assertTrue(named.contains(remote.split("\\s+")[0]), "the changes artifact names the pushed commit: " + named);

        ObjectNode refusedParams = params.deepCopy();
        ObjectNode refusedMessage = (ObjectNode) refusedParams.get("message");
        refusedMessage.put("messageId", UUID.randomUUID().toString()).put("contextId", "ctx-" + UUID.randomUUID());
        ((ObjectNode) refusedMessage.get("metadata")).putObject(MetadataKeys.WORKSPACE).putObject("git")
                .put("url", "git://forbidden.invalid/calc.git");
        int calls = llm.requests().size();
        String refusedTask = a2a.rpc("SendMessage", refusedParams).path("task").path("id").asText();
        JsonNode refused = a2a.awaitFinal(refusedTask, Duration.ofSeconds(60), agent, tools);
        assertEquals("TASK_STATE_FAILED", refused.path("status").path("state").asText(), refused.toPrettyString());
        String why = refused.path("status").path("message").toString();
        assertTrue(why.contains("forbidden.invalid") && why.contains("CODETETHER_TOOLS_GIT_ALLOWED_HOSTS"), why);
        assertEquals(calls, llm.requests().size(), "no model call for a workspace that could not be prepared");

        // the leak probe: the token from the secrets file is in no task, event, artifact or log line
        StringBuilder seen = new StringBuilder(pushed.toString()).append(refused);
        for (JsonNode t : a2a.rpc("ListTasks", A2aHttp.JSON.createObjectNode().put("pageSize", 100)).path("tasks")) {
            seen.append(a2a.rpc("GetTask", A2aHttp.JSON.createObjectNode().put("id", t.path("id").asText())));
        }
        assertTrue(!seen.toString().contains(TOKEN), "the git token leaked into a task");
        Path logs = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize()
                .resolve("e2e-tests/target/e2e-logs");
        for (ServiceProcess p : List.of(gateway, agent, tools)) {
            String log = Files.readString(logs.resolve(p.name + "-" + p.port + ".log"));
            assertTrue(!log.isEmpty() && !log.contains(TOKEN), "the git token leaked into the " + p.name + " log");
        }
    }

    /**
     * Ralph on a cloned repository (issue 14): a 3-story prd.json whose quality check ({@code sh check.sh}) runs in
     * the sandbox on the clone. The scripted model implements each story; its first try at US-002 fails the check,
     * the next iteration sees why in progress.txt and fixes it. Each passing story is one commit on the workspace's
     * branch, the pushed branch carries the three, and the {@code changes} artifact covers all of them.
     */
    @Test
    void ralphImplementsAThreeStoryPrdOnACloneOneCommitPerStoryAndAFailingCheckIsRetried() throws Exception {
        Path src = Files.createDirectories(repos.resolve("shop-src"));
        Git.run(src, "init", "-q");
        // the quality check tests every script that exists, so each story's check covers the stories before it
        Files.writeString(src.resolve("check.sh"), """
                set -e
                [ ! -f add.sh ] || [ "$(sh add.sh 2 3)" = 5 ] || { echo "add.sh 2 3 is not 5"; exit 1; }
                [ ! -f mul.sh ] || [ "$(sh mul.sh 2 3)" = 6 ] || { echo "FAIL: mul.sh 2 3 gave $(sh mul.sh 2 3), want 6"; exit 1; }
                [ ! -f neg.sh ] || [ "$(sh neg.sh 4)" = -4 ] || { echo "neg.sh 4 is not -4"; exit 1; }
                echo "all checks pass"
                """);
        Files.writeString(src.resolve("prd.json"), """
                {"project": "shop", "feature": "Arithmetic", "branch_name": "feature/arithmetic",
                 "user_stories": [
                  {"id": "US-001", "title": "Add", "description": "add.sh A B prints A+B", "priority": 1},
                  {"id": "US-002", "title": "Multiply", "description": "mul.sh A B prints A*B", "priority": 2},
                  {"id": "US-003", "title": "Negate", "description": "neg.sh A prints -A", "priority": 3}],
                 "quality_checks": {"test": "sh check.sh"}}
                """);
        Git.run(src, "add", "-A");
        Git.run(src, "commit", "-q", "-m", "shop: prd and check");
        Git.run(repos, "clone", "-q", "--bare", src.toString(), repos.resolve("shop.git").toString());
        String url = daemon.url("shop.git");

        String add = "echo $(($1 + $2))\n";
        String mulWrong = "echo $(($1 + $2))\n";
        String mul = "echo $(($1 * $2))\n";
        String neg = "echo $((0 - $1))\n";
        llm.enqueue(
                // iteration 1, US-001
                Reply.tools(Reply.call("r1", "write_file", Map.of("path", "add.sh", "content", add))),
                Reply.text("Added add.sh.\nSTORY_COMPLETE: US-001"),
                // iteration 2, US-002: a wrong implementation; the quality check fails
                Reply.tools(Reply.call("r2", "write_file", Map.of("path", "mul.sh", "content", mulWrong))),
                Reply.text("Added mul.sh.\nSTORY_COMPLETE: US-002"),
                // iteration 3, US-002 again: the fix, checked by the model itself in the sandbox
                Reply.tools(Reply.call("r3", "write_file", Map.of("path", "mul.sh", "content", mul))),
                Reply.tools(Reply.call("r4", "bash", Map.of("command", "sh check.sh"))),
                Reply.text("Fixed mul.sh: it multiplies now.\nSTORY_COMPLETE: US-002"),
                // iteration 4, US-003
                Reply.tools(Reply.call("r5", "write_file", Map.of("path", "neg.sh", "content", neg))),
                Reply.text("Added neg.sh.\nSTORY_COMPLETE: US-003"));
        int before = llm.requests().size();

        ObjectNode params = A2aHttp.JSON.createObjectNode();
        ObjectNode message = params.putObject("message").put("messageId", UUID.randomUUID().toString())
                .put("role", "ROLE_USER").put("contextId", "ctx-" + UUID.randomUUID());
        message.putArray("parts").addObject().put("text", "Implement prd.json");
        ObjectNode ws = message.putObject("metadata").putObject(MetadataKeys.WORKSPACE);
        ws.putObject("git").put("url", url).put("ref", "main");
        ws.putObject("push").put("branch", "codetether/ralph-e2e");
        params.putObject("configuration").put("returnImmediately", true);
        params.putObject("metadata").put("provider", "local").put("skill", "ralph").put("prd_path", "prd.json");
        String taskId = a2a.rpc("SendMessage", params).path("task").path("id").asText();

        JsonNode task = a2a.awaitFinal(taskId, Duration.ofSeconds(180), agent, tools);
        assertEquals("TASK_STATE_COMPLETED", task.path("status").path("state").asText(),
                task.toPrettyString() + "\n--- tools log:\n" + tools.tail() + "\n--- agent log:\n" + agent.tail());
        String answer = task.path("status").path("message").toString();
        assertTrue(answer.contains("Ralph Completed") && answer.contains("3/3 stories")
                && answer.contains("**Iterations:** 4/"), "three stories in four iterations: "
                + answer);
        assertEquals(before + 9, llm.requests().size(), "nine model calls, all the iterations' own");
        // the retry saw why the first try failed: the check's output, from progress.txt in its prompt
        String retryPrompt = llm.requests().get(before + 4).bodyText();
        assertTrue(retryPrompt.contains("quality_failed") && retryPrompt.contains("FAIL: mul.sh 2 3 gave 5, want 6"),
                retryPrompt);
        String checkRun = llm.requests().get(before + 6).toolResults().get(1).content();
        assertTrue(checkRun.contains("all checks pass"), "the model's own check ran in the sandbox: " + checkRun);

        // one commit per story, on the branch the task pushed
        String log = Git.run(repos.resolve("shop.git"), "log", "--format=%s", "main..codetether/ralph-e2e");
        assertEquals(List.of("feat(us-003): Negate", "feat(us-002): Multiply", "feat(us-001): Add"),
                List.of(log.strip().split("\n")), log);
        String pushedHead = Git.run(repos.resolve("shop.git"), "rev-parse", "codetether/ralph-e2e").strip();
        Path clone = repos.resolve("shop-check");
        Git.run(repos, "clone", "-q", "-b", "codetether/ralph-e2e", url, clone.toString());
        assertEquals("exit 0: all checks pass\n", qualityCheck(clone), "the pushed branch passes its check");
        assertTrue(Files.readString(clone.resolve("prd.json")).replace(" ", "").contains("\"passes\":true"));

        // the changes artifact covers all three stories and names the pushed commit
        String diff = null;
        JsonNode data = null;
        for (JsonNode artifact : task.path("artifacts")) {
            if (WorkspaceExtension.CHANGES_ARTIFACT.equals(artifact.path("name").asText())) {
                for (JsonNode part : artifact.path("parts")) {
                    if (part.has("text")) {
                        diff = part.path("text").asText();
                    } else if (part.has("data")) {
                        data = part.path("data");
                    }
                }
            }
        }
        assertNotNull(diff, "no changes diff: " + task.toPrettyString());
        for (String file : List.of("add.sh", "mul.sh", "neg.sh", "progress.txt", "prd.json")) {
            assertTrue(diff.contains("b/" + file), file + " missing from the diff:\n" + diff);
        }
        assertEquals(pushedHead, data.at("/pushed/commit").asText(), data.toString());
        Path fresh = repos.resolve("shop-fresh");
        Git.run(repos, "clone", "-q", url, fresh.toString());
        Path patch = repos.resolve("shop.diff");
        Files.writeString(patch, diff);
        Git.run(fresh, "apply", patch.toString());
        assertEquals("echo $(($1 * $2))\n", Files.readString(fresh.resolve("mul.sh")));
        assertEquals("exit 0: all checks pass\n", qualityCheck(fresh), "the diff applied to a fresh clone passes");
    }

    /** The project's quality check run here (outside any sandbox), its output. */
    private static String qualityCheck(Path dir) throws Exception {
        Process p = new ProcessBuilder("sh", "check.sh").directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "check.sh ended");
        return "exit " + p.exitValue() + ": " + out;
    }

    private record Cli(int exit, String out, String err) {}

    /** The packaged CLI, run in {@code dir} as a user would, against this class's gateway. */
    private static Cli cli(Path dir, String... args) throws Exception {
        TerminalClient client = new TerminalClient(clientHome);
        List<String> cmd = new ArrayList<>(client.command("--url", "http://127.0.0.1:" + gateway.port + "/"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(client.env());
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the CLI ended");
        return new Cli(p.exitValue(), out, err.get(10, TimeUnit.SECONDS));
    }
}
