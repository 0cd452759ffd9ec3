package run.codetether.tools.infra.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.SandboxLimits;

/** Real bubblewrap commands, counted by how they ended, as Prometheus exports them for the dashboard. */
class MeteredSandboxTest {
    private static final SandboxLimits LIMITS = new SandboxLimits(10, 1L << 30, 64, 1 << 20, 256, 1 << 24);

    @Test
    void commandsAreCountedByOutcomeAndLongLivedProcessesWhileTheyRun(@TempDir Path tmp) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/bwrap")), "bubblewrap not installed");
        Path ws = Files.createDirectories(tmp.resolve("ws/s1"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Sandbox sandbox = new MeteredSandbox(new BwrapSandbox("/usr/bin/bwrap", tmp.resolve("ws"), LIMITS,
                Optional.empty()), registry);

        sandbox.run(shell("true", ws, 5), OutputSink.DISCARD);
        sandbox.run(shell("exit 3", ws, 5), OutputSink.DISCARD);
        sandbox.run(shell("sleep 5", ws, 1), OutputSink.DISCARD);
        try (Sandbox.Interactive cat = sandbox.start(shell("cat", ws, 30))) {
            assertEquals(1.0, gauge(registry), "a running language server counts as an active sandbox");
        }
        assertEquals(0.0, gauge(registry));

        for (String outcome : new String[] {"ok", "failed", "timed_out"}) {
            assertEquals(1, commands(registry, outcome), outcome);
        }
        assertTrue(registry.get(MeteredSandbox.COMMANDS).tag("outcome", "timed_out").timer()
                .totalTime(java.util.concurrent.TimeUnit.MILLISECONDS) >= 900, "the timed-out command ran ~1 s");
        assertEquals(1.0, registry.get(MeteredSandbox.STARTED).tag("kind", "interactive").counter().count());
        String scrape = registry.scrape();
        assertTrue(scrape.contains("codetether_tools_sandbox_commands_seconds_bucket{"), "p50/p99 need buckets");
    }

    @Test
    void aRefusedCommandIsCountedAsRefused(@TempDir Path tmp) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Sandbox sandbox = new MeteredSandbox(new MissingBwrapSandbox("/nonexistent/bwrap"), registry);
        assertThrows(ToolException.class, () -> sandbox.run(shell("true", tmp, 5), OutputSink.DISCARD));
        assertEquals(1, commands(registry, "refused"));
        assertEquals(0.0, gauge(registry));
        assertTrue(MeteredSandbox.unwrap(sandbox) instanceof MissingBwrapSandbox);
    }

    private static long commands(PrometheusMeterRegistry registry, String outcome) {
        return registry.get(MeteredSandbox.COMMANDS).tag("outcome", outcome).timer().count();
    }

    private static double gauge(PrometheusMeterRegistry registry) {
        return registry.get(MeteredSandbox.ACTIVE).gauge().value();
    }

    private static ExecSpec shell(String command, Path ws, int seconds) {
        return ExecSpec.shell(command, ws, ws, Duration.ofSeconds(seconds), 10_000);
    }
}
