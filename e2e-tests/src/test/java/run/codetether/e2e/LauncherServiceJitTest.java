package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the launcher runs the services with the JVM's tiered compilers (C1, then C2: the full path's lowest CPU
 * per task once warm, as the chart's containers) unless {@code CODETETHER_SERVICE_JIT=c1} asks for C1 only (also
 * for the supervisor's restarts), and a value it does not know stops {@code up} or {@code restart} before anything
 * starts or stops. A copy of the real launcher starts real JVMs with
 * its real flags; each part is a small stand-in program, so what is tested is the flags each JVM got (its
 * /proc/PID/cmdline) and the launcher's answer.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherServiceJitTest {
    private static final Map<String, String> MODULES = LauncherStack.SERVICE_MODULES;
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    @TempDir
    static Path root;

    private static LauncherStack stack;

    @BeforeAll
    static void launcherAndParts() throws Exception {
        stack = LauncherStack.withStandIns(root);
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.run("down");
        }
    }

    @Test
    @Order(1)
    void byDefaultEveryServiceRunsTieredAndC1OnlyIsOneSettingAway() throws Exception {
        LauncherStack.Result up = stack.run("up", "--no-supervise");
        assertEquals(0, up.exit(), up.toString());
        for (String part : MODULES.keySet()) {
            String cmd = cmdline(part);
            assertTrue(cmd.contains("-XX:+UseSerialGC") && cmd.contains(MODULES.get(part)), part + ": " + cmd);
            assertFalse(cmd.contains("TieredStopAtLevel"), part + " runs tiered (C1, then C2): " + cmd);
        }

        LauncherStack.Result c1 = stack.run(Map.of("CODETETHER_SERVICE_JIT", "c1"), "restart", "agent");
        assertEquals(0, c1.exit(), c1.toString());
        assertTrue(cmdline("agent").contains(C1_ONLY), "the agent restarted C1 only: " + cmdline("agent"));
        assertFalse(cmdline("gateway").contains("TieredStopAtLevel"), "the others keep theirs: " + cmdline("gateway"));

        LauncherStack.Result tiered = stack.run(Map.of("CODETETHER_SERVICE_JIT", "tiered"), "restart", "agent");
        assertEquals(0, tiered.exit(), tiered.toString());
        assertFalse(cmdline("agent").contains("TieredStopAtLevel"), cmdline("agent"));
    }

    @Test
    @Order(2)
    void aValueTheLauncherDoesNotKnowLeavesTheRunningPartAlone() throws Exception {
        long agent = stack.pid("agent").orElseThrow();
        LauncherStack.Result wrong = stack.run(Map.of("CODETETHER_SERVICE_JIT", "C1"), "restart", "agent");
        assertEquals(1, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("CODETETHER_SERVICE_JIT='C1' is neither tiered"), wrong.toString());
        assertEquals(agent, stack.pid("agent").orElseThrow(), "not restarted: " + wrong);
        assertTrue(LauncherStack.alive(agent), "the agent still runs: " + wrong);
    }

    @Test
    @Order(3)
    void theSupervisorStartsACrashedPartWithTheSettingOfTheUpThatStartedIt() throws Exception {
        assertEquals(0, stack.run("down").exit());
        LauncherStack.Result up = stack.run(Map.of("CODETETHER_SERVICE_JIT", "c1"), "up");
        assertEquals(0, up.exit(), up.toString());
        assertTrue(cmdline("agent").contains(C1_ONLY), cmdline("agent"));

        long killed = stack.kill9("agent");
        stack.awaitRestarted("agent", killed, Duration.ofSeconds(60));
        assertTrue(cmdline("agent").contains(C1_ONLY), "started again C1 only: " + cmdline("agent"));
    }

    @Test
    @Order(4)
    void aValueTheLauncherDoesNotKnowStopsUpBeforeAnythingStarts() throws Exception {
        LauncherStack.Result down = stack.run("down");
        assertEquals(0, down.exit(), down.toString());

        LauncherStack.Result wrong = stack.run(Map.of("CODETETHER_SERVICE_JIT", "c2"), "up", "--no-supervise");
        assertEquals(1, wrong.exit(), wrong.toString());
        assertTrue(wrong.err().contains("CODETETHER_SERVICE_JIT='c2' is neither tiered")
                && wrong.err().contains("c1 (C1 only)"), wrong.toString());
        assertTrue(stack.processesOfThisStack().isEmpty(), "nothing was started: " + stack.processesOfThisStack());
    }

    private static String cmdline(String part) throws IOException {
        return stack.cmdline(part);
    }
}
