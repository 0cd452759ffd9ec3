package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.TaskRun;
import run.codetether.agent.domain.loop.WorkspaceSettings;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.domain.port.TaskMetrics;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.EventWait;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.agent.support.GitCheckoutWorkspaces;
import run.codetether.agent.support.KafkaEvents;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Issue 19: an agent restarts (its memory of the ends it published is gone) and the start command of a task that
 * completed before comes back to it. The end it publishes again carries what the first did, the workspace's
 * {@code changes} artifact included: the same diff, made again by real git from the task's real workspace, with no
 * model call. Sessions and events go through the real broker; each "worker" is a loop with Kafka clients of its own.
 */
class ResentEndE2ETest {

    record Worker(AgentLoop loop, KafkaSessionStore sessions, KafkaEventPublisher events, GrpcToolExecutor tools)
            implements AutoCloseable {
        TaskRun run(TaskCommand cmd) {
            TaskRun run = new TaskRun(cmd);
            loop.run(run);
            return run;
        }

        @Override
        public void close() {
            sessions.close();
            events.close();
            tools.close();
        }
    }

    static Worker worker(String bootstrap, String id, ScriptedLlmServer llm, Path secrets, FileToolsGrpcServer tools,
            Path dir) {
        KafkaSessionStore sessions = new KafkaSessionStore(bootstrap);
        KafkaEventPublisher events = new KafkaEventPublisher(bootstrap);
        GrpcToolExecutor client = new GrpcToolExecutor("127.0.0.1", tools.port());
        AgentLoop loop = new AgentLoop(AgentSettings.defaults(id).withSkillsDir(dir.resolve("skills")),
                Providers.resolver(llm, secrets, Duration.ofMinutes(5)), client,
                new GitCheckoutWorkspaces(tools::workspace), WorkspaceSettings.defaults(), CallRouter.DISABLED, events,
                sessions, TaskMetrics.NONE, List.of());
        return new Worker(loop, sessions, events, client);
    }

    private static List<Artifact> changes(KafkaEvents log, String taskId) {
        return log.of(taskId).stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                && WorkspaceExtension.CHANGES_ARTIFACT.equals(a.artifact().name()))
                .map(e -> ((TaskEvent.ArtifactAdded) e).artifact()).toList();
    }

    private static long completions(KafkaEvents log, String taskId) {
        return log.of(taskId).stream().filter(e -> e instanceof TaskEvent.StatusChanged s
                && s.status().state() == TaskState.COMPLETED).count();
    }

    private static void awaitCompletions(KafkaEvents log, String taskId, int n) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (completions(log, taskId) < n && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(n, completions(log, taskId), () -> "events of " + taskId + ": " + log.of(taskId));
    }

    private static String diffText(Artifact a) {
        return a.parts().stream().filter(p -> p instanceof Part.Text).map(p -> ((Part.Text) p).text()).findFirst()
                .orElse(null);
    }

    @Test
    void anEndResentAfterARestartCarriesTheSameDiffAndSaysSoWhenALaterTaskChangedTheWorkspace(@TempDir Path dir)
            throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        String ctx = "ctx-resend-" + UUID.randomUUID();
        TaskCommand.StartTask start = Commands.start("t-resend-" + UUID.randomUUID(), ctx, "moonshotai",
                "write the notes");
        String taskId = start.taskId();
        try (ScriptedLlmServer llm = ScriptedLlmServer.start();
                FileToolsGrpcServer tools = new FileToolsGrpcServer(Files.createDirectories(dir.resolve("ws")));
                KafkaEvents log = new KafkaEvents(bootstrap, "tasks.requested.unused-" + UUID.randomUUID())) {
            Path secrets = Providers.secretsFile(dir, Providers.allKeys());
            llm.enqueue(Reply.tools(Reply.call("w1", "write_file", Map.of("path", "notes.txt", "content",
                    "hello\nworld\n"))), Reply.text("Wrote notes.txt"));
            try (Worker first = worker(bootstrap, "worker-1", llm, secrets, tools, dir)) {
                first.run(start);
            }
            awaitCompletions(log, taskId, 1);
            List<Artifact> firstChanges = changes(log, taskId);
            assertEquals(1, firstChanges.size(), "the first end's changes artifact: " + log.of(taskId));
            String diff = diffText(firstChanges.get(0));
            assertNotNull(diff, "the first end's changes artifact carries the workspace diff");
            assertTrue(diff.contains("+hello") && diff.contains("notes.txt"), diff);
            int asked = llm.requests().size();

            // the agent restarted: the redelivered start finds the task COMPLETED in its session, sends the end again
            try (Worker restarted = worker(bootstrap, "worker-2", llm, secrets, tools, dir)) {
                restarted.run(start);
            }
            awaitCompletions(log, taskId, 2);
            List<Artifact> again = changes(log, taskId);
            assertEquals(2, again.size(), "the re-sent end carries a changes artifact: " + log.of(taskId));
            assertEquals(firstChanges.get(0), again.get(1), "the same artifact: id, summary, diff and stats");
            assertEquals(asked, llm.requests().size(), "no model call");
            TaskEvent.StatusChanged resent = EventWait.awaitFinal(() -> log.of(taskId), Duration.ofSeconds(5));
            assertEquals("Wrote notes.txt", EventWait.messageText(log.of(taskId), resent));
            assertEquals(2, log.of(taskId).stream().filter(e -> e instanceof TaskEvent.ArtifactAdded a
                    && a.artifact().name().equals("changed-files")).count(), "changed files both times");

            // a later task of the conversation changes the workspace: this task's diff cannot be made again, and the
            // re-sent end says so rather than passing the later diff off as this task's
            llm.enqueue(Reply.tools(Reply.call("w2", "write_file", Map.of("path", "more.txt", "content", "more\n"))),
                    Reply.text("Wrote more.txt"));
            TaskCommand.StartTask later = Commands.start("t-later-" + UUID.randomUUID(), ctx, "moonshotai", "more");
            try (Worker third = worker(bootstrap, "worker-3", llm, secrets, tools, dir)) {
                third.run(later);
                awaitCompletions(log, later.taskId(), 1);
            }
            try (Worker fourth = worker(bootstrap, "worker-4", llm, secrets, tools, dir)) {
                fourth.run(start);
            }
            awaitCompletions(log, taskId, 3);
            Artifact moved = changes(log, taskId).get(2);
            assertEquals(firstChanges.get(0).artifactId(), moved.artifactId());
            assertEquals(null, diffText(moved), "no diff part: " + moved);
            Object omitted = ((Map<?, ?>) ((Part.Data) moved.parts().get(0)).data()).get(MetadataKeys.DIFF_OMITTED);
            assertTrue(String.valueOf(omitted).contains("changed after this task ended"), String.valueOf(omitted));
        }
    }
}
