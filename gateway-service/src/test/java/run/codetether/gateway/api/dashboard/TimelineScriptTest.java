package run.codetether.gateway.api.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's {@code timeline.js} on a minimal DOM under node ({@code js/timeline-test.mjs}): a model turn whose
 * usage comes on its step's first tool update still gets its "turn N on provider/model · usage" row, before the
 * call's row; a turn's own status shows as before. Skipped where node is not installed.
 */
class TimelineScriptTest {
    private static final Path JS = Path.of("src/main/resources/META-INF/resources/dashboard/js");

    @Test
    void aTurnsUsageOnItsFirstToolUpdateGetsItsTurnRow() throws Exception {
        assumeTrue(nodeInstalled(), "node is not installed here");
        Path script = Files.createTempFile("timeline-test", ".mjs");
        try (var in = getClass().getResourceAsStream("/js/timeline-test.mjs")) {
            Files.write(script, in.readAllBytes());
        }
        try {
            Process p = new ProcessBuilder("node", script.toString(), JS.toAbsolutePath().toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS), "node did not finish");
            assertEquals(0, p.exitValue(), out);
            assertEquals("ok", out.strip(), out);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static boolean nodeInstalled() throws InterruptedException {
        try {
            Process p = new ProcessBuilder(List.of("node", "--version")).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
