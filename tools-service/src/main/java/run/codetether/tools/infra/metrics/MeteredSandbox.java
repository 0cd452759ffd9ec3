package run.codetether.tools.infra.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import run.codetether.tools.domain.OutputSink;
import run.codetether.tools.domain.exec.ExecResult;
import run.codetether.tools.domain.exec.ExecSpec;
import run.codetether.tools.domain.exec.Sandbox;

/**
 * The sandbox as operators watch it: every command's wall time by how it ended
 * ({@code codetether.tools.sandbox.commands{outcome=ok|failed|timed_out|refused}}, a Prometheus histogram), the
 * long-lived processes started (language servers, MCP servers: {@code codetether.tools.sandbox.processes.started}),
 * and how many sandboxes run now ({@code codetether.tools.sandbox.active}). Delegates everything else unchanged.
 */
public final class MeteredSandbox implements Sandbox {
    static final String COMMANDS = "codetether.tools.sandbox.commands";
    static final String STARTED = "codetether.tools.sandbox.processes.started";
    static final String ACTIVE = "codetether.tools.sandbox.active";

    private final Sandbox sandbox;
    private final MeterRegistry registry;
    private final AtomicInteger active = new AtomicInteger();

    public MeteredSandbox(Sandbox sandbox, MeterRegistry registry) {
        this.sandbox = sandbox;
        this.registry = registry;
        Gauge.builder(ACTIVE, active, AtomicInteger::get)
                .description("Sandboxed commands and long-lived sandboxed processes running now").register(registry);
    }

    /** The sandbox behind the metrics (which kind was chosen at start-up). */
    public static Sandbox unwrap(Sandbox s) {
        return s instanceof MeteredSandbox m ? m.sandbox : s;
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        long start = System.nanoTime();
        active.incrementAndGet();
        String outcome = "refused";
        try {
            ExecResult r = sandbox.run(spec, sink);
            outcome = r.timedOut() ? "timed_out" : r.exitCode() == 0 ? "ok" : "failed";
            return r;
        } finally {
            active.decrementAndGet();
            Timer.builder(COMMANDS).description("Sandboxed commands by how they ended").tag("outcome", outcome)
                    .publishPercentileHistogram().register(registry)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public Interactive start(ExecSpec spec) {
        return counted(sandbox.start(spec), "interactive");
    }

    @Override
    public Interactive startWithStderr(ExecSpec spec) {
        return counted(sandbox.startWithStderr(spec), "interactive_stderr");
    }

    @Override
    public String describe() {
        return sandbox.describe();
    }

    private Interactive counted(Interactive process, String kind) {
        Counter.builder(STARTED).description("Long-lived sandboxed processes started (language and MCP servers)")
                .tag("kind", kind).register(registry).increment();
        active.incrementAndGet();
        return new CountedInteractive(process, active);
    }

    /** A started process that leaves the active count once, when closed. */
    private record CountedInteractive(Interactive process, AtomicInteger active, AtomicBoolean closed)
            implements Interactive {
        CountedInteractive(Interactive process, AtomicInteger active) {
            this(process, active, new AtomicBoolean());
        }

        @Override
        public OutputStream stdin() {
            return process.stdin();
        }

        @Override
        public InputStream stdout() {
            return process.stdout();
        }

        @Override
        public InputStream stderr() {
            return process.stderr();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return process.onExit();
        }

        @Override
        public void close() {
            try {
                process.close();
            } finally {
                if (closed.compareAndSet(false, true)) {
                    active.decrementAndGet();
                }
            }
        }
    }
}
