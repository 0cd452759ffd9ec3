package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the launcher's supervisor. A copy of the real launcher runs real JVMs with its real flags; each part is a
 * small program where the packaged service would be (readiness answered, the gRPC port held), so that what is tested
 * is the supervisor: a part killed with kill -9 is started again and {@code status} says so; a part that exits at
 * once every time (its port taken) is given up loudly instead of looped forever; {@code down} stops the supervisor
 * before the parts and leaves nothing running; {@code up --no-supervise} opts out. The real services under the same
 * supervisor: {@link LauncherSuperviseServicesTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherSuperviseTest {



    @TempDir
    static Path root;

    private static LauncherStack stack;

    @BeforeAll
    static void launcherAndParts() throws Exception {
        stack = LauncherStack.withStandIns(root);
        stack.env.put("CODETETHER_SUPERVISE_GIVE_UP", "3");
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            stack.run("down");
        }
    }

    @Test
    @Order(1)
    void aPartKilledWithKill9IsStartedAgainAndStatusShowsTheRestartAndItsExit() throws Exception {
        LauncherStack.Result up = stack.run("up");
        assertEquals(0, up.exit(), up.toString());
        assertTrue(up.out().contains("supervisor started"), up.out());
        long supervisor = stack.pid("supervisor").orElseThrow();
        assertTrue(LauncherStack.alive(supervisor), "the supervisor runs after up");

        long gateway = stack.kill9("gateway");
        long agent = stack.kill9("agent");
        long gatewayTook = stack.awaitRestarted("gateway", gateway, Duration.ofSeconds(60));
        long agentTook = stack.awaitRestarted("agent", agent, Duration.ofSeconds(60));
        System.out.printf("fake parts killed with kill -9: gateway ready again in %d s, agent in %d s (load %s)%n",
                gatewayTook, agentTook, LoadAverage.now());

        String status = stack.run("status").out();
        assertTrue(status.matches("(?s).*\\ngateway +\\d+ +\\S+ +1 +ready, last exit 137 \\(SIGKILL.*"), status);
        assertTrue(status.matches("(?s).*\\nagent +\\d+ +\\S+ +1 +ready, last exit 137 \\(SIGKILL.*"), status);
        assertTrue(status.matches("(?s).*\\ntools +\\d+ +\\S+ +- +ready\\n.*"), "untouched parts: " + status);
        assertTrue(status.contains("supervisor: running (pid " + supervisor + ")"), status);
        String log = stack.awaitSupervisorLog(Duration.ofSeconds(30), "gateway ready again", "agent ready again");
        assertTrue(log.contains("gateway (pid " + gateway + ") exited: exit 137 (SIGKILL"), log);
        assertTrue(log.contains("gateway started again (pid") && log.contains("gateway ready again"), log);

        // a second `up` finds everything running and starts no second supervisor
        LauncherStack.Result again = stack.run("up");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(supervisor, stack.pid("supervisor").orElseThrow());
    }

    @Test
    @Order(2)
    void aPartThatExitsAtOnceEveryTimeIsGivenUpWithAClearStatusLine() throws Exception {
        long swarm = stack.kill9("swarm");
        int exits;
        // its port taken by another program: every start exits at once (status 1, BindException)
        try (ServerSocket squatter = squat(stack.httpPort("swarm"))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            String status = "";
            while (System.nanoTime() < deadline && !status.contains("GAVE UP")) {
                Thread.sleep(500);
                status = stack.run("status").out();
            }
            assertTrue(status.contains("codetether: supervisor GAVE UP: swarm exited 3 times within 600 s (last: exit 1"
                    + " (its log says why)); not started again."), status);
            assertTrue(status.contains("Fix the cause, then ./codetether restart swarm"), status);
            assertTrue(status.matches("(?s).*\\nswarm +\\d+ +\\S+ +2 +dead: the supervisor GAVE UP.*"), status);
            String log = stack.supervisorLog();
            assertTrue(log.contains("supervisor: GAVE UP: swarm exited 3 times"), log);
            assertTrue(log.contains("starting it again in 1 s") && log.contains("starting it again in 2 s"), log);
            long given = stack.pid("swarm").orElseThrow();
            exits = count(log, "swarm (pid");
            Thread.sleep(6_000);
            assertEquals(given, stack.pid("swarm").orElseThrow(), "no start after giving up");
            assertEquals(exits, count(stack.supervisorLog(), "swarm (pid"), "no more attempts");
            assertNotEquals(swarm, given);
        }
        LauncherStack.Result restart = stack.run("restart", "swarm");
        assertEquals(0, restart.exit(), restart.toString());
        String status = stack.run("status").out();
        assertTrue(status.matches("(?s).*\\nswarm +\\d+ +\\S+ +2 +ready, last exit 1 .*"), status);
        assertFalse(status.contains("GAVE UP"), status);

        // after the user's restart its count starts afresh: one more kill is started again, not given up
        long again = stack.kill9("swarm");
        stack.awaitRestarted("swarm", again, Duration.ofSeconds(60));
    }

    @Test
    @Order(3)
    void downStopsTheSupervisorFirstAndLeavesNothingRunning() throws Exception {
        long supervisor = stack.pid("supervisor").orElseThrow();
        // a crash just before `down`: the supervisor would start it again in 1 s
        stack.kill9("router");
        LauncherStack.Result down = stack.run("down");
        assertEquals(0, down.exit(), down.toString());
        assertTrue(down.out().startsWith("codetether: supervisor stopped"), "the supervisor first: " + down.out());
        assertFalse(LauncherStack.alive(supervisor));
        Thread.sleep(4_000); // past the backoff: nothing was left to start the router
        assertEquals(List.of(), stack.processesOfThisStack(), "nothing runs after down");
        String log = stack.supervisorLog();
        String afterStop = log.substring(log.lastIndexOf("stopping (./codetether down)"));
        assertFalse(afterStop.contains("started again"), log);
        for (String part : LauncherStack.PARTS) {
            assertTrue(stack.pid(part).isEmpty(), part + " has no pid file after down");
        }
    }

    @Test
    @Order(4)
    void upNoSuperviseLeavesADeadPartDownUntilUp() throws Exception {
        LauncherStack.Result up = stack.run("up", "--no-supervise");
        assertEquals(0, up.exit(), up.toString());
        assertTrue(stack.pid("supervisor").isEmpty(), "no supervisor");
        long tools = stack.kill9("tools");
        Thread.sleep(4_000);
        assertEquals(tools, stack.pid("tools").orElseThrow());
        String status = stack.run("status").out();
        assertTrue(status.matches("(?s).*\\ntools +" + tools + " +\\S+ +- +dead \\(log: .*"), status);
        assertTrue(status.contains("supervisor: off (--no-supervise"), status);
        // restart keeps the choice; a plain up starts the part and the supervisor
        assertEquals(0, stack.run("restart", "tools").exit());
        assertTrue(stack.pid("supervisor").isEmpty(), "restart keeps --no-supervise");
        LauncherStack.Result plain = stack.run("up");
        assertEquals(0, plain.exit(), plain.toString());
        assertTrue(LauncherStack.alive(stack.pid("supervisor").orElseThrow()), plain.out());
        LauncherStack.Result off = stack.run(Map.of("CODETETHER_NO_SUPERVISE", "1"), "up");
        assertTrue(off.out().contains("supervisor stopped") && stack.pid("supervisor").isEmpty(), off.out());
    }

    /** Listens on the port the killed part held (its readiness connections may leave it in TIME_WAIT a moment). */
    private static ServerSocket squat(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            try {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
                return socket;
            } catch (java.net.BindException e) {
                socket.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + port + " still taken after the kill:\n"
                            + stack.run("status").out() + stack.supervisorLog(), e);
                }
                Thread.sleep(50);
            }
        }
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

}
