package run.codetether.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The local stack's Kafka broker ({@code LocalKafkaMain}: one KRaft node, data in a folder that survives restarts)
 * as a process of its own, so that a drill can kill it with SIGKILL and start it again on the same ports and data,
 * as an operator's {@code ./codetether restart kafka} does. Its output goes to
 * {@code target/e2e-logs/kafka-<port>[-restarted].log}.
 */
final class BrokerProcess implements AutoCloseable {
    final Path dataDir;
    final int port;
    final int controllerPort;
    private final Process process;
    private final Path log;

    private BrokerProcess(Path dataDir, int port, int controllerPort, Process process, Path log) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
        this.process = process;
        this.log = log;
    }

    /** A new broker on free ports with its data under {@code dataDir}; returns once it serves the platform topics. */
    static BrokerProcess start(Path dataDir, Duration timeout) throws Exception {
        return start(dataDir, ServiceProcess.freePort(), ServiceProcess.freePort(), "", timeout);
    }

    /** The same broker again (ports, data) after it was killed. */
    static BrokerProcess restart(BrokerProcess killed, Duration timeout) throws Exception {
        if (killed.process.isAlive()) {
            throw new IllegalStateException("the broker is still running");
        }
        return start(killed.dataDir, killed.port, killed.controllerPort, "-restarted", timeout);
    }

    private static BrokerProcess start(Path dataDir, int port, int controllerPort, String suffix, Duration timeout)
            throws Exception {
        Path root = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Path logs = Files.createDirectories(root.resolve("e2e-tests/target/e2e-logs"));
        Path log = logs.resolve("kafka-" + port + suffix + ".log");
        // surefire puts the test class path (test-fixtures with Kafka's broker classes) in java.class.path
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                "run.codetether.fixtures.kafka.LocalKafkaMain", dataDir.toString(), Integer.toString(port),
                Integer.toString(controllerPort));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BrokerProcess broker = new BrokerProcess(dataDir, port, controllerPort, p, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the broker exited with " + p.exitValue() + ":\n" + broker.tail());
            }
            if (Files.readString(log).contains("KAFKA READY")) {
                return broker;
            }
            Thread.sleep(100);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the broker was not ready within " + timeout + ":\n" + broker.tail());
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** kill -9 of the broker's JVM; returns its exit status (137). */
    int kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker survived SIGKILL for 20 s");
        }
        return process.exitValue();
    }

    String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
