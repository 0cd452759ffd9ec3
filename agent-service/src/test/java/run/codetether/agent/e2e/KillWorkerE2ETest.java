package run.codetether.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import run.codetether.agent.infra.kafka.AgentWorker;
import run.codetether.agent.infra.kafka.KafkaEventPublisher;
import run.codetether.agent.infra.kafka.KafkaSessionStore;
import run.codetether.agent.infra.tools.GrpcToolExecutor;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.agent.support.KafkaEvents;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.contracts.events.Topics;
import run.codetether.fixtures.kafka.SharedKafkaBroker;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/**
 * Two workers in one consumer group; the one running the task is stopped while a tool call is in flight. The
 * other takes the partition over, resumes from the saved session, re-sends the unsaved call under its id (which
 * tools-service answers from its idempotency store), and completes the task exactly once.
 */
class KillWorkerE2ETest {

    record Worker(AgentWorker worker, KafkaSessionStore sessions, KafkaEventPublisher events, GrpcToolExecutor tools) {
        void close() {
            worker.close();
            sessions.close();
            events.close();
            tools.close();
        }
    }

    static Worker worker(String bootstrap, String topic, String group, String id, ScriptedLlmServer llm, Path secrets,
            int toolsPort, Path skills) {
        KafkaSessionStore sessions = new KafkaSessionStore(bootstrap);
        KafkaEventPublisher events = new KafkaEventPublisher(bootstrap);
        GrpcToolExecutor tools = new GrpcToolExecutor("127.0.0.1", toolsPort);
        AgentLoop loop = LoopHarness.loop(AgentSettings.defaults(id).withSkillsDir(skills),
                Providers.resolver(llm, secrets, Duration.ofMinutes(5)), tools, events, sessions);
        return new Worker(new AgentWorker(bootstrap, topic, group, id, loop, 4), sessions, events, tools);
    }

    @Test
    void aStoppedWorkersTaskCompletesOnceOnTheOtherWorker(@TempDir Path dir) throws Exception {
        String bootstrap = SharedKafkaBroker.bootstrapServers();
        String topic = "tasks.requested.kill-" + UUID.randomUUID();
        String group = "kill-" + UUID.randomUUID();
        SharedKafkaBroker.get().createTopics(List.of(new Topics.Spec(topic, 4, false)));
        try (ScriptedLlmServer llm = ScriptedLlmServer.start();
                FileToolsGrpcServer tools = new FileToolsGrpcServer(Files.createDirectories(dir.resolve("ws")));
                KafkaEvents gateway = new KafkaEvents(bootstrap, topic)) {
            Path secrets = Providers.secretsFile(dir, Providers.allKeys());
            Worker a = worker(bootstrap, topic, group, "worker-a", llm, secrets, tools.port(), dir);
            Worker b = worker(bootstrap, topic, group, "worker-b", llm, secrets, tools.port(), dir);
            assertTrue(a.worker().awaitReady(Duration.ofSeconds(30)) && b.worker().awaitReady(Duration.ofSeconds(30)));
            String ctx = "ctx-kill-" + UUID.randomUUID();
            Path ws = tools.workspace(ctx);
            llm.enqueue(Reply.tools(Reply.call("k1", "bash", Map.of("command",
                            "while [ ! -f go ]; do sleep 0.02; done; echo once >> count.txt; echo applied"))),
                    Reply.text("finished"));

            gateway.send(Commands.start("t-kill", ctx, "moonshotai", "count once"));
            TaskEvent.StatusChanged toolEvent = null;
            while (toolEvent == null) {
                toolEvent = gateway.of("t-kill").stream()
                        .filter(e -> e instanceof TaskEvent.StatusChanged s && "k1".equals(s.progress().callId()))
                        .map(e -> (TaskEvent.StatusChanged) e).findFirst().orElse(null);
                Thread.sleep(10);
            }
            while (tools.executeCalls() == 0) {
                Thread.sleep(10);
            }
            String first = toolEvent.workerId();
            Worker doomed = first.equals("worker-a") ? a : b;
            Worker survivor = doomed == a ? b : a;
            doomed.close(); // leaves the group with the task unfinished and its offset uncommitted
            Files.writeString(ws.resolve("go"), "");

            TaskEvent.StatusChanged last = gateway.awaitFinal("t-kill", Duration.ofSeconds(60));
            assertEquals(TaskState.COMPLETED, last.status().state(), () -> "final: " + last);
            assertNotEquals(first, last.workerId(), "the other worker finished it");
            assertEquals(1, tools.appliedCount(ctx, "k1"), "the tool call was applied once");
            assertEquals("once\n", Files.readString(ws.resolve("count.txt")));
            assertEquals(2, llm.requests().size());
            assertTrue(llm.requests().get(1).toolResults().get(0).content().contains("applied"));
            // no second completion may follow from either worker
            gateway.send(Commands.start("t-after", "ctx-after-" + UUID.randomUUID(), "moonshotai", "x"));
            llm.enqueue(Reply.text("after"));
            gateway.awaitFinal("t-after", Duration.ofSeconds(30));
            long finals = gateway.of("t-kill").stream().filter(e -> e instanceof TaskEvent.StatusChanged s && s.isFinal()).count();
            assertEquals(1, finals, () -> "events: " + gateway.of("t-kill"));
            survivor.close();
        }
    }
}
