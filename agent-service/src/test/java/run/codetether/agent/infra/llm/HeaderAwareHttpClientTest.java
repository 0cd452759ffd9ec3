package run.codetether.agent.infra.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.agent.domain.model.ChatMessage;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.fixtures.llm.Reply;
import run.codetether.fixtures.llm.ScriptedLlmServer;
import run.codetether.platform.secrets.FileSecretSource;

/** The agent's model transport: where its work runs, and that cancel and timeouts still end a call at once. */
class HeaderAwareHttpClientTest {
    private static final ModelRequest REQUEST = new ModelRequest("m", "be brief", List.of(new ChatMessage.User("hi")),
            List.of());

    private static ChatProvider provider(Path dir, String baseUrl, boolean streaming, Duration timeout)
            throws Exception {
        ProviderSettings s = new ProviderSettings(Optional.of(baseUrl), Optional.of("m"), timeout, Optional.empty(),
                streaming, Optional.empty());
        return new LangChain4jProviders(Map.of("local", s), Optional.empty(),
                new FileSecretSource(Files.createTempFile(dir, "secrets", ".json")), 0, Duration.ofSeconds(1))
                .resolve("local", "m").chat();
    }

    /** The JDK client's pool threads ({@code HttpClient-<n>-Worker-<m>}) alive now. */
    private static Set<String> poolThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.matches("HttpClient-\\d+-Worker-\\d+")).collect(Collectors.toSet());
    }

    @Test
    void httpsKeepsTheClientsPoolSoTlsWorkIsNotRunOnItsSelectorThread() {
        HeaderAwareHttpClient client = HeaderAwareHttpClient.create(Duration.ofSeconds(1), Duration.ofSeconds(1),
                body -> Map.of());
        // a client with no executor of its own hands dependent work (TLS handshakes, unwrapping) to its pool
        assertTrue(client.clientFor("https://api.example.test/v1/chat").executor().isEmpty());
        assertTrue(client.clientFor("HTTPS://api.example.test/v1/chat").executor().isEmpty());
        assertTrue(client.clientFor("http://127.0.0.1:8080/v1/chat").executor().isPresent());
    }

    @Test
    void answersAreReadWithoutHandingEachStepToAPoolThread(@TempDir Path dir) throws Exception {
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            llm.respondWith(r -> Reply.text("ok"));
            Set<String> before = poolThreads();
            for (boolean streaming : List.of(true, false)) {
                ChatProvider chat = provider(dir, llm.openAiBaseUrl(), streaming, Duration.ofSeconds(30));
                for (int i = 0; i < 5; i++) {
                    List<String> partial = new ArrayList<>();
                    assertEquals("ok", chat.chat(REQUEST, partial::add).text());
                    assertEquals(streaming ? List.of("ok") : List.of(), partial);
                }
            }
            Set<String> after = poolThreads();
            after.removeAll(before);
            assertEquals(Set.of(), after, "the client handed work to its pool");
        }
    }

    @Test
    void aCallInterruptedWhileWaitingForTheAnswerEndsAtOnceAsAnInterrupt(@TempDir Path dir) throws Exception {
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            llm.respondWith(r -> Reply.text("late").withDelay(Duration.ofSeconds(30)));
            for (boolean streaming : List.of(true, false)) {
                ChatProvider chat = provider(dir, llm.openAiBaseUrl(), streaming, Duration.ofSeconds(60));
                CompletableFuture<Throwable> outcome = new CompletableFuture<>();
                Thread caller = Thread.ofPlatform().start(() -> {
                    try {
                        chat.chat(REQUEST, p -> {});
                        outcome.complete(null);
                    } catch (Throwable t) {
                        outcome.complete(t);
                    }
                });
                Thread.sleep(300);
                long t0 = System.nanoTime();
                caller.interrupt();
                Throwable t = outcome.get(5, TimeUnit.SECONDS);
                assertTrue(t instanceof InterruptedException, "streaming=" + streaming + ": " + t);
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    @Test
    void aStreamInterruptedMidwayEndsAtOnceWithTheInterruptKept(@TempDir Path dir) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                    + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"par\"},"
                    + "\"finish_reason\":null}]}\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                release.await(30, TimeUnit.SECONDS); // the rest never comes while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        try {
            ChatProvider chat = provider(dir, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", true,
                    Duration.ofSeconds(60));
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
            List<String> partial = new ArrayList<>();
            long t0 = System.nanoTime();
            Thread.ofPlatform().start(() -> {
                try {
                    chat.chat(REQUEST, p -> {
                        partial.add(p);
                        Thread.currentThread().interrupt(); // the task is canceled while its answer streams
                    });
                    outcome.complete(null);
                } catch (Throwable t) {
                    outcome.complete(t);
                }
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
            });
            Throwable t = outcome.get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            assertEquals(List.of("par"), partial);
            assertTrue(t instanceof InterruptedException
                    || t instanceof ProviderException p && p.kind() == ProviderException.Kind.TRANSPORT, String.valueOf(t));
            assertTrue(interruptedAfter.get(5, TimeUnit.SECONDS) || t instanceof InterruptedException,
                    "the cancel's interrupt was lost");
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    @Test
    void anAnswerLaterThanTheTimeoutFailsAsATransportErrorInTime(@TempDir Path dir) throws Exception {
        try (ScriptedLlmServer llm = ScriptedLlmServer.start()) {
            llm.respondWith(r -> Reply.text("late").withDelay(Duration.ofSeconds(10)));
            for (boolean streaming : List.of(true, false)) {
                ChatProvider chat = provider(dir, llm.openAiBaseUrl(), streaming, Duration.ofMillis(400));
                long t0 = System.nanoTime();
                ProviderException e = assertThrows(ProviderException.class, () -> chat.chat(REQUEST, p -> {}));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertEquals(ProviderException.Kind.TRANSPORT, e.kind(), e.getMessage());
                assertTrue(ms >= 350 && ms < 5_000, "streaming=" + streaming + ": " + ms + " ms");
            }
        }
    }
}
