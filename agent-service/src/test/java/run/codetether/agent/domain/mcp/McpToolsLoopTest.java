package run.codetether.agent.domain.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import run.codetether.agent.domain.dispatch.OfferedTool;
import run.codetether.agent.domain.loop.AgentLoop;
import run.codetether.agent.infra.tools.GrpcMcpTools;
import run.codetether.agent.support.FileToolsGrpcServer;
import run.codetether.agent.support.LoopHarness;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.contracts.tools.v1.CallMcpToolRequest;
import run.codetether.contracts.tools.v1.CallMcpToolResponse;
import run.codetether.contracts.tools.v1.ListMcpToolsRequest;
import run.codetether.contracts.tools.v1.ListMcpToolsResponse;
import run.codetether.contracts.tools.v1.McpBinary;
import run.codetether.contracts.tools.v1.McpContent;
import run.codetether.contracts.tools.v1.McpEmbeddedResource;
import run.codetether.contracts.tools.v1.McpServerStatus;
import run.codetether.contracts.tools.v1.McpTool;
import run.codetether.fixtures.llm.RecordedRequest;
import run.codetether.fixtures.llm.Reply;

/**
 * The MCP dispatch kind in the loop: a scripted model (real provider adapter) sees {@code mcp__<server>__<tool>} with
 * the server's schema, calls it, and the answer reaches it; per-tenant and per-task servers; refusals. tools-service's
 * MCP side is scripted here over real gRPC (McpGrpcTest and the e2e test run the real one against real servers).
 */
class McpToolsLoopTest {

    @RegisterExtension
    final LoopHarness h = new LoopHarness();

    final List<ListMcpToolsRequest> lists = Collections.synchronizedList(new ArrayList<>());
    final List<CallMcpToolRequest> calls = Collections.synchronizedList(new ArrayList<>());

    static final McpServerSpec LOCAL = new McpServerSpec("local", List.of("java", "-cp", "x", "Server"),
            Map.of("MODE", "test"), List.of("TOKEN"), List.of(), null, Map.of(), List.of(), null, false);
    static final McpServerSpec ACME_ONLY = new McpServerSpec("acme-docs", null, null, null, null,
            "https://docs.acme.example/mcp", Map.of(), List.of("Authorization"), "acme-docs", false);

    McpServerPolicy policy(Set<String> taskTenants, List<String> ceiling) {
        return new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(LOCAL, Set.of()),
                new McpServerPolicy.TenantServer(ACME_ONLY, Set.of("acme"))),
                new McpServerPolicy.TaskServers(taskTenants, ceiling));
    }

    AgentLoop loop(McpServerPolicy p) {
        GrpcMcpTools mcp = new GrpcMcpTools("127.0.0.1", h.tools.port());
        return h.loop(List.of(new McpToolSource(p, mcp, Duration.ofSeconds(10), Duration.ofSeconds(60),
                Clock.systemUTC())));
    }

    @BeforeEach
    void scriptedToolsService() {
        h.tools.mcp(new FileToolsGrpcServer.McpSide() {
            @Override
            public ListMcpToolsResponse list(ListMcpToolsRequest r) {
                lists.add(r);
                var b = ListMcpToolsResponse.newBuilder();
                for (var s : r.getServersList()) {
                    if (s.getName().equals("broken")) {
                        b.addServers(McpServerStatus.newBuilder().setServer("broken").setOk(false)
                                .setError("UNAVAILABLE: MCP server 'broken' exited with code 1"));
                        continue;
                    }
                    b.addServers(McpServerStatus.newBuilder().setServer(s.getName()).setOk(true));
                    b.addTools(McpTool.newBuilder().setServer(s.getName()).setName("echo").setDescription("Echoes")
                            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},"
                                    + "\"required\":[\"text\"]}").setReadOnlyHint(true));
                    b.addTools(McpTool.newBuilder().setServer(s.getName()).setName("write.note").setDescription("Writes")
                            .setInputSchemaJson("{\"type\":\"object\",\"properties\":{}}"));
                }
                return b.build();
            }

            @Override
            public CallMcpToolResponse call(CallMcpToolRequest r) {
                calls.add(r);
                if (r.getServer().getName().equals("cutoff")) {
                    // what tools-service answers when the server exited with the call in flight
                    return CallMcpToolResponse.newBuilder().setCallId(r.getCallId()).setOk(false).setInterrupted(true)
                            .setError("INTERRUPTED: MCP server 'cutoff' exited with code 137 during tools/call 'echo';"
                                    + " the call did not complete and was not run again").build();
                }
                if (r.getServer().getName().equals("crashy")) {
                    return CallMcpToolResponse.newBuilder().setCallId(r.getCallId()).setOk(false)
                            .setError("UNAVAILABLE: MCP server 'crashy' exited with code 3 during tools/call 'echo'")
                            .build();
                }
                return CallMcpToolResponse.newBuilder().setCallId(r.getCallId()).setOk(true)
                        .addContent(McpContent.newBuilder().setText("echo: " + r.getArgumentsJson()))
                        .addContent(McpContent.newBuilder().setImage(McpBinary.newBuilder().setMimeType("image/png")
                                .setData(ByteString.copyFrom(new byte[] {1, 2, 3}))))
                        .addContent(McpContent.newBuilder().setResource(McpEmbeddedResource.newBuilder()
                                .setUri("test://doc").setMimeType("text/markdown").setText("# Doc")))
                        .build();
            }
        });
    }

    TaskCommand.StartTask start(String task, String tenant, Map<String, Object> messageMeta) {
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.Text.of("use the tools")), null,
                null, null, null, messageMeta);
        return new TaskCommand.StartTask(task, "ctx-" + task, tenant, m, "moonshotai", null, null, null, null, null,
                Map.of(), null);
    }

    @Test
    void theModelSeesTheServersToolsCallsOneAndReadsTheAnswer() {
        h.llm.enqueue(Reply.tools(Reply.call("m1", "mcp__local__echo", Map.of("text", "hi"))), Reply.text("done"));
        h.run(loop(policy(Set.of(), List.of())), start("t-mcp", null, Map.of()));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-mcp").status().state(), h.finalOf("t-mcp").toString());

        RecordedRequest first = h.llm.requests().get(0);
        assertTrue(first.toolNames().contains("mcp__local__echo"), first.toolNames().toString());
        String dotted = McpToolNames.of("local", "write.note");
        assertTrue(dotted.startsWith("mcp__local__write_note_") && dotted.length() <= 64, dotted);
        assertTrue(first.toolNames().contains(dotted));
        assertFalse(first.toolNames().stream().anyMatch(n -> n.contains("acme-docs")), "acme's server is acme's only");
        assertTrue(first.bodyText().contains("[MCP server local] Echoes"), first.bodyText());
        assertTrue(first.bodyText().replaceAll("\\s", "").contains("\"required\":[\"text\"]"),
                "the server's schema reached the model: " + first.bodyText());

        CallMcpToolRequest call = calls.get(0);
        assertEquals("ctx-t-mcp", call.getSessionId());
        assertEquals("m1", call.getCallId());
        assertEquals("echo", call.getTool());
        assertEquals("{\"text\":\"hi\"}", call.getArgumentsJson());
        assertEquals("local", call.getServer().getName());
        assertEquals(List.of("java", "-cp", "x", "Server"), java.util.stream.Stream.concat(
                java.util.stream.Stream.of(call.getServer().getStdio().getCommand()),
                call.getServer().getStdio().getArgsList().stream()).toList());
        assertEquals(List.of("TOKEN"), call.getServer().getStdio().getSecretEnvList());

        assertEquals("echo: {\"text\":\"hi\"}\n[image image/png, 3 bytes]\n[resource test://doc (text/markdown)]\n# Doc",
                h.lastResult());
    }

    @Test
    void readOnlyComesFromTheServersHint() {
        McpToolSource source = new McpToolSource(policy(Set.of(), List.of()), new GrpcMcpTools("127.0.0.1",
                h.tools.port()), Duration.ofSeconds(10), Duration.ofSeconds(60), Clock.systemUTC());
        // offered() needs a run; the loop test above covers it end to end: here the spec mapping of one listing
        h.llm.enqueue(Reply.text("nothing to do"));
        AgentLoop loop = h.loop(List.of(source));
        h.run(loop, start("t-ro", null, Map.of()));
        var offered = lists.size();
        assertEquals(1, offered);
        List<OfferedTool> tools = source.offered(0, new StubScope("ctx-t-ro"));
        assertTrue(tools.stream().filter(t -> t.name().equals("mcp__local__echo")).findFirst().orElseThrow().readOnly());
        assertFalse(tools.stream().filter(t -> t.name().startsWith("mcp__local__write_note")).findFirst().orElseThrow()
                .readOnly());
        assertEquals(1, lists.size(), "the listing of a session is reused");
    }

    @Test
    void aFailedCallAndAnUnavailableServerAreToldToTheModelAndTheClient() {
        McpServerSpec crashy = new McpServerSpec("crashy", List.of("crash"), null, null, null, null, null, null, null,
                false);
        McpServerSpec broken = new McpServerSpec("broken", List.of("false"), null, null, null, null, null, null, null,
                false);
        McpServerPolicy p = new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(crashy, Set.of()),
                new McpServerPolicy.TenantServer(broken, Set.of())), McpServerPolicy.TaskServers.NONE);
        h.llm.enqueue(Reply.tools(Reply.call("c1", "mcp__crashy__echo", Map.of("text", "x"))), Reply.text("it crashed"));
        h.run(loop(p), start("t-crash", null, Map.of()));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-crash").status().state());
        assertEquals("Error: UNAVAILABLE: MCP server 'crashy' exited with code 3 during tools/call 'echo'",
                h.lastResult());
        assertFalse(h.llm.requests().get(0).toolNames().stream().anyMatch(n -> n.startsWith("mcp__broken")));
        assertTrue(h.events.of("t-crash").toString().contains("MCP servers unavailable, continuing without their tools:"
                + " broken: UNAVAILABLE: MCP server 'broken' exited with code 1"), h.events.of("t-crash").toString());
    }

    @Test
    void anInterruptedCallIsToldToTheModelAsSuchAndTheTaskDoesNotComplete() {
        McpServerSpec cutoff = new McpServerSpec("cutoff", List.of("cut"), null, null, null, null, null, null, null,
                false);
        McpServerPolicy p = new McpServerPolicy(List.of(new McpServerPolicy.TenantServer(cutoff, Set.of())),
                McpServerPolicy.TaskServers.NONE);
        h.llm.enqueue(Reply.tools(Reply.call("c1", "mcp__cutoff__echo", Map.of("text", "x"))),
                Reply.text("The deploy went through."));
        h.run(loop(p), start("t-cutoff", null, Map.of()));
        assertTrue(h.lastResult().startsWith("INTERRUPTED: MCP server 'cutoff' exited"), h.lastResult());
        var last = h.finalOf("t-cutoff");
        assertEquals(TaskState.FAILED, last.status().state(), "never COMPLETED on a call that did not complete");
        String reason = last.status().message().text();
        assertTrue(reason.startsWith("Tool call interrupted: mcp__cutoff__echo (call ") && reason.contains(
                "The agent's answer:\nThe deploy went through."), reason);
        assertEquals(1, calls.size(), "not repeated by the platform: tools-service answered it");
    }

    @Test
    void perTaskServersOnlyWhereTheTenantMayAndWithinTheCeiling() {
        Map<String, Object> servers = new java.util.LinkedHashMap<>();
        servers.put("mine", Map.of("command", "my-server", "args", List.of("--ro"), "allowed_hosts",
                List.of("api.example.com")));
        servers.put("hosted", Map.of("url", "https://mcp.example.com/mcp"));
        Map<String, Object> meta = Map.of(MetadataKeys.MCP_SERVERS, servers);

        h.run(loop(policy(Set.of("acme"), List.of("*.example.com"))), start("t-no", "other", meta));
        var refused = h.finalOf("t-no");
        assertEquals(TaskState.FAILED, refused.status().state());
        assertTrue(refused.status().message().text().contains("tenant 'other' may not name MCP servers per task"),
                refused.status().message().text());
        assertTrue(h.llm.requests().isEmpty(), "nothing ran");

        h.run(loop(policy(Set.of("acme"), List.of("api.example.com"))), start("t-far", "acme", meta));
        assertTrue(h.finalOf("t-far").status().message().text().contains("mcp.example.com:443 is beyond what per-task"
                + " servers may reach"), h.finalOf("t-far").status().message().text());

        h.run(loop(policy(Set.of("acme"), List.of())), start("t-dup", "acme",
                Map.of(MetadataKeys.MCP_SERVERS, Map.of("local", Map.of("command", "x")))));
        assertTrue(h.finalOf("t-dup").status().message().text().contains("'local' is the name of a configured MCP server"));

        h.llm.enqueue(Reply.tools(Reply.call("p1", "mcp__mine__echo", Map.of("text", "t")),
                Reply.call("p2", "mcp__acme-docs__echo", Map.of("text", "d"))), Reply.text("ok"));
        h.run(loop(policy(Set.of("acme"), List.of("*.example.com"))), start("t-ok", "acme", meta));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-ok").status().state(), h.finalOf("t-ok").toString());
        ListMcpToolsRequest listed = lists.get(lists.size() - 1);
        assertEquals(List.of("local", "acme-docs", "mine", "hosted"), listed.getServersList().stream()
                .map(s -> s.getName()).toList());
        var mine = listed.getServers(2);
        assertEquals("my-server", mine.getStdio().getCommand());
        assertEquals(List.of("api.example.com"), mine.getStdio().getAllowedHostsList());
        assertEquals("", mine.getSecret(), "a per-task server reads no secret");
        assertEquals(List.of("mine", "acme-docs"), calls.stream().map(c -> c.getServer().getName()).toList());
    }

    @Test
    void aSubAgentGetsItsParentsServers() {
        Map<String, Object> meta = Map.of(MetadataKeys.MCP_SERVERS, Map.of("mine", Map.of("command", "my-server")));
        h.llm.enqueue(Reply.tools(Reply.call("s1", "task", Map.of("description", "d", "prompt", "use mine"))),
                Reply.tools(Reply.call("s2", "mcp__mine__echo", Map.of("text", "from the sub-agent"))),
                Reply.text("sub done"), Reply.text("parent done"));
        h.run(loop(policy(Set.of("acme"), List.of())), start("t-sub", "acme", meta));
        assertEquals(TaskState.COMPLETED, h.finalOf("t-sub").status().state(), h.finalOf("t-sub").toString());
        assertEquals("mine", calls.get(0).getServer().getName());
        assertTrue(h.llm.requests().get(1).toolNames().contains("mcp__acme-docs__echo"), "the tenant's servers too");
    }

    /** The run as a source sees it, for asking a source directly. */
    record StubScope(String workspaceId) implements run.codetether.agent.domain.dispatch.CallScope {
        static final run.codetether.agent.domain.session.TaskProgress TASK =
                new run.codetether.agent.domain.session.TaskProgress("t-stub");

        @Override
        public String taskId() {
            return "t-stub";
        }

        @Override
        public int depth() {
            return 0;
        }

        @Override
        public run.codetether.agent.domain.session.Session session() {
            return new run.codetether.agent.domain.session.Session(workspaceId);
        }

        @Override
        public run.codetether.agent.domain.session.TaskProgress task() {
            return TASK;
        }

        @Override
        public String wireCallId(String callId) {
            return callId;
        }

        @Override
        public Duration toolTimeout() {
            return Duration.ofSeconds(10);
        }

        @Override
        public Duration partialEvery() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void progress(String text, run.codetether.contracts.events.Progress progress) {}

        @Override
        public void checkStop() {}

        @Override
        public boolean stopping() {
            return false;
        }

        @Override
        public String filterOutput(String tool, com.fasterxml.jackson.databind.JsonNode arguments, String output) {
            return output;
        }
    }
}
