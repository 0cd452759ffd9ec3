package run.codetether.agent.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.port.CallRouter;
import run.codetether.agent.support.Commands;
import run.codetether.agent.support.LoopHarness;
import run.codetether.agent.support.Providers;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskEvent;
import run.codetether.fixtures.llm.Reply;

/** Provider failures as a user sees them: clear final messages, retries, key rotation, and no key anywhere. */
class ProviderFailuresTest {
    @RegisterExtension
    final LoopHarness h = new LoopHarness();
    final List<String> logs = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            // the agent logs through jboss-logging, whose records keep their parameters apart from the pattern
            logs.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()) + " "
                    + (r.getThrown() == null ? "" : r.getThrown()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        Logger.getLogger("").setLevel(Level.ALL);
    }

    @AfterEach
    void stop() throws Exception {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger("").setLevel(Level.INFO);
    }

    private TaskEvent.StatusChanged run(String taskId, String provider) throws Exception {
        h.run(h.loop(), Commands.start(taskId, "c-" + taskId, provider, "hi"));
        return h.events.awaitFinal(taskId, Duration.ofSeconds(30));
    }

    private void assertNoKeyAnywhere(String key) {
        for (TaskEvent e : h.events.all()) {
            assertFalse(new String(ContractJson.write(e)).contains(key), "key in event " + e);
        }
        for (String l : logs) {
            assertFalse(l.contains(key), "key in log line " + l);
        }
        assertTrue(h.sessions.list().stream().noneMatch(s -> ContractJson.mapper().valueToTree(s).toString().contains(key)),
                "key in a saved session");
    }

    @Test
    void a401FailsTheTaskWithAClearMessageAndTheKeyAppearsNowhere() throws Exception {
        // some providers echo the key they rejected: the message must still not carry it
        h.llm.enqueue(new Reply.Failure(401, "Incorrect API key provided: " + Providers.OPENAI_KEY, -1, null));
        TaskEvent.StatusChanged last = run("t-401", "moonshotai");
        assertEquals(TaskState.FAILED, last.status().state());
        String msg = last.status().message().text();
        assertTrue(msg.contains("rejected the API key (HTTP 401") && msg.contains("codetether auth add moonshotai"), msg);
        assertEquals(1, h.llm.requests().size(), "no blind retry of a rejected key");
        assertNoKeyAnywhere(Providers.OPENAI_KEY);

        h.llm.reset();
        h.llm.requireApiKey("another-key");
        assertEquals(TaskState.FAILED, run("t-401b", "anthropic").status().state());
        assertNoKeyAnywhere(Providers.ANTHROPIC_KEY);
    }

    @Test
    void aRotatedKeyIsReReadAfterA401() throws Exception {
        var loop = h.loop();
        h.llm.requireApiKey(Providers.OPENAI_KEY).enqueue(Reply.text("one"));
        h.run(loop, Commands.start("t-rot1", "c-rot1", "moonshotai", "hi"));
        assertEquals(TaskState.COMPLETED, h.events.awaitFinal("t-rot1", Duration.ofSeconds(10)).status().state());

        Providers.write(h.secrets, Map.of("moonshotai", Map.of("api_key", "sk-rotated-key-9876543210")));
        h.llm.requireApiKey("sk-rotated-key-9876543210").enqueue(Reply.text("two"));
        h.run(loop, Commands.start("t-rot2", "c-rot2", "moonshotai", "hi"));
        assertEquals(TaskState.COMPLETED, h.events.awaitFinal("t-rot2", Duration.ofSeconds(10)).status().state());
        var reqs = h.llm.requests();
        assertEquals("Bearer " + Providers.OPENAI_KEY, reqs.get(1).header("Authorization"), "cached key tried first");
        assertEquals("Bearer sk-rotated-key-9876543210", reqs.get(2).header("Authorization"));
    }

    @Test
    void a429IsRetriedAfterTheRetryAfterTheProviderSent() throws Exception {
        h.llm.enqueue(Reply.rateLimited(1), Reply.text("ok"));
        long t0 = System.nanoTime();
        TaskEvent.StatusChanged last = run("t-429", "anthropic");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(TaskState.COMPLETED, last.status().state());
        assertEquals(2, h.llm.requests().size());
        assertTrue(waitedMs >= 1_000, "Retry-After: 1 was honoured (waited " + waitedMs + " ms)");
    }

    @Test
    void bedrockStreamsPartialTextAndItsErrorsAreClassifiedOverConverseStream() throws Exception {
        h.llm.enqueue(Reply.serverError(), Reply.text("streamed over the AWS event stream"));
        // no first-chunk hold: the scripted reply finishes within any, and this is about the stream's deltas
        h.run(h.loop(h.settings().withFirstChunkHold(Duration.ZERO), h.providers(),
                run.codetether.agent.domain.port.CallRouter.DISABLED), Commands.start("t-bed", "c-t-bed", "bedrock", "hi"));
        TaskEvent.StatusChanged ok = h.events.awaitFinal("t-bed", Duration.ofSeconds(30));
        assertEquals(TaskState.COMPLETED, ok.status().state());
        assertEquals("streamed over the AWS event stream", h.finalText("t-bed"));
        assertTrue(h.llm.requests().stream().allMatch(r -> r.path().endsWith("/converse-stream")), "ConverseStream is used");
        assertEquals(2, h.llm.requests().size(), "a 500 is retried");
        assertTrue(h.events.of("t-bed").stream().anyMatch(e -> e instanceof TaskEvent.ArtifactAdded a && a.streamed()),
                "partial text reached the A2A client while the reply streamed");

        h.llm.reset();
        h.llm.requireApiKey("AKIA-SOME-OTHER-KEY");
        TaskEvent.StatusChanged denied = run("t-bed401", "bedrock");
        assertEquals(TaskState.FAILED, denied.status().state());
        assertTrue(denied.status().message().text().contains("codetether auth add bedrock"), denied.status().message().text());
        assertEquals(1, h.llm.requests().size(), "no blind retry of a rejected key");
        assertNoKeyAnywhere(Providers.BEDROCK_SECRET);
    }

    @Test
    void serverErrorsAreRetriedThenFailClearly() throws Exception {
        h.llm.enqueue(Reply.serverError(), Reply.text("ok"));
        assertEquals(TaskState.COMPLETED, run("t-500", "google").status().state());
        h.llm.reset();
        h.llm.respondWith(r -> Reply.serverError());
        TaskEvent.StatusChanged last = run("t-500b", "google");
        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("provider google failed (HTTP 500"), last.status().message().text());
        assertEquals(4, h.llm.requests().size(), "one call and three retries");
    }

    @Test
    void withNoProviderConfiguredATaskFailsFastSayingHowToConfigureOne() throws Exception {
        Files.writeString(h.secrets, "{\"providers\":{}}");
        var resolver = h.noProviders();
        h.run(h.loop(h.settings(), resolver, CallRouter.DISABLED), Commands.start("t-none", "c-none", null, "hi"));
        TaskEvent.StatusChanged last = h.events.awaitFinal("t-none", Duration.ofSeconds(5));
        assertEquals(TaskState.FAILED, last.status().state());
        String msg = last.status().message().text();
        assertTrue(msg.contains("CODETETHER_LOCAL_BASE_URL") && msg.contains("CODETETHER_LOCAL_MODEL")
                && msg.contains("codetether auth add <provider>") && msg.contains("secret/codetether/providers/<provider>"), msg);
        assertEquals(0, h.llm.requests().size());

        h.run(h.loop(h.settings(), resolver, CallRouter.DISABLED), Commands.start("t-unk", "c-unk", "openai-ish", "hi"));
        assertTrue(h.events.awaitFinal("t-unk", Duration.ofSeconds(5)).status().message().text().contains("unknown provider 'openai-ish'"));
    }

    @Test
    void aSecretsFileOthersCanReadIsRefused() throws Exception {
        Files.setPosixFilePermissions(h.secrets, PosixFilePermissions.fromString("rw-r--r--"));
        TaskEvent.StatusChanged last = run("t-perm", "moonshotai");
        assertEquals(TaskState.FAILED, last.status().state());
        assertTrue(last.status().message().text().contains("chmod 600"), last.status().message().text());
        assertNoKeyAnywhere(Providers.OPENAI_KEY);
    }
}
