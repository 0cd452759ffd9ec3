package run.codetether.bench.fullpath;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;

/** The @a2a-js/sdk 1.3.0 echo agent ({@code js/echo-agent.mjs}) under node, on a free loopback port. */
final class JsSdkAgent {
    private final int port;
    private final long pid;

    private JsSdkAgent(int port, long pid) {
        this.port = port;
        this.pid = pid;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/a2a";
    }

    String cardUrl() {
        return "http://127.0.0.1:" + port + "/.well-known/agent-card.json";
    }

    long pid() {
        return pid;
    }

    /**
     * The bench's own folder: where run.sh installed the SDK ({@code target/js}) and the echo agent's source, given
     * by run.sh ({@code -Dcodetether.fullpath.bench-dir}) so that {@code --root} another build's tree still runs this
     * checkout's agent and packages; {@code ROOT/bench/fullpath-bench} without it.
     */
    static Path benchDir(Path root) {
        String own = System.getProperty("codetether.fullpath.bench-dir");
        return own == null || own.isBlank() ? root.resolve("bench/fullpath-bench") : Path.of(own);
    }

    /** The folder the SDK is installed in (run.sh: npm install into it). */
    static Path jsDir(Path root) {
        return benchDir(root).resolve("target/js");
    }

    static JsSdkAgent start(Path root, Children children) {
        Path dir = jsDir(root);
        if (!Files.isDirectory(dir.resolve("node_modules/@a2a-js/sdk"))
                || !Files.isDirectory(dir.resolve("node_modules/express"))) {
            throw new IllegalStateException("@a2a-js/sdk or express is missing under " + dir + ": run "
                    + "bench/fullpath-bench/run.sh, or (cd " + dir + " && npm install --no-save --no-package-lock "
                    + "--ignore-scripts @a2a-js/sdk@1.3.0 express@5)");
        }
        try {
            Files.copy(benchDir(root).resolve("js/echo-agent.mjs"), dir.resolve("echo-agent.mjs"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the echo agent into " + dir, e);
        }
        int port = Ports.freeLoopbackPort();
        Children.Child node = children.start("js-sdk", List.of(FullPathBench.executable("node",
                "node is not installed (apt-get install -y nodejs)"), "echo-agent.mjs", String.valueOf(port)),
                Map.of(), dir);
        Readiness.awaitLogLine(node, "JS-SDK READY", Duration.ofSeconds(60));
        return new JsSdkAgent(port, node.pid());
    }
}
