package run.codetether.bench.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Waits until a started child is ready, the way {@code ./codetether up} does ({@code /q/health/ready} answers UP,
 * or the broker prints its ready line). Fails at once, with the tail of the child's log, when the child exits;
 * fails after the timeout. Polls every 100 ms: a probe, not a sleep standing in for a condition.
 */
public final class Readiness {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration POLL = Duration.ofMillis(100);

    private Readiness() {}

    /** Until {@code http://127.0.0.1:<port>/q/health/ready} answers 200. */
    public static void awaitHealthReady(Children.Child child, int port, Duration timeout) {
        awaitHttp(child, URI.create("http://127.0.0.1:" + port + "/q/health/ready"), r -> r.statusCode() == 200,
                timeout);
    }

    /** Until a GET of {@code uri} gives a response {@code ok} accepts. */
    public static void awaitHttp(Children.Child child, URI uri, Predicate<HttpResponse<String>> ok, Duration timeout) {
        await(child, timeout, uri.toString(), () -> {
            try {
                return ok.test(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            } catch (IOException notListeningYet) {
                return false;
            }
        });
    }

    /** Until the child's log holds a line containing {@code marker}. */
    public static void awaitLogLine(Children.Child child, String marker, Duration timeout) {
        await(child, timeout, "a log line with '" + marker + "'", () -> {
            try {
                return Files.exists(child.log()) && read(child.log()).contains(marker);
            } catch (IOException e) {
                return false;
            }
        });
    }

    private interface Probe {
        boolean ready() throws InterruptedException;
    }

    private static void await(Children.Child child, Duration timeout, String what, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                if (!child.process().isAlive()) {
                    throw new IllegalStateException(child.name() + " exited (code " + child.process().exitValue()
                            + ") before it was ready; its log " + child.log() + " ends with:\n" + tail(child.log()));
                }
                if (probe.ready()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(child.name() + " was not ready in " + timeout.toSeconds()
                            + " s (waited for " + what + "); its log " + child.log() + " ends with:\n"
                            + tail(child.log()));
                }
                Thread.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + child.name(), e);
        }
    }

    /** A log as text; bytes that are not UTF-8 become U+FFFD instead of failing the read. */
    private static String read(Path log) throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    /** The last 30 lines of a log, for failure messages. */
    public static String tail(Path log) {
        try {
            List<String> lines = read(log).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
