package run.codetether.tools.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.Expect.assertThat;
import static run.codetether.tools.api.GrpcCalls.json;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.ArchiveSource;
import run.codetether.contracts.tools.v1.CloseSessionRequest;
import run.codetether.contracts.tools.v1.CommitChangesRequest;
import run.codetether.contracts.tools.v1.GetChangesRequest;
import run.codetether.contracts.tools.v1.GitSource;
import run.codetether.contracts.tools.v1.ListEgressRequest;
import run.codetether.contracts.tools.v1.PrepareWorkspaceRequest;
import run.codetether.contracts.tools.v1.PushChangesRequest;
import run.codetether.contracts.tools.v1.StageArchiveRequest;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.contracts.tools.v1.WorkspaceSource;
import run.codetether.fixtures.git.Git;

/**
 * The workspace RPCs end to end over gRPC, as the agent will call them: prepare from a loopback git server with
 * egress, work through the normal tools (bash in the sandbox sees the history read-only and reaches only the
 * allowed registry), changes out as a diff, a commit, a pushed branch; https with the token from Vault (through
 * quarkus-vault); every refusal as a gRPC status with a clear message.
 */
@QuarkusTest
@QuarkusTestResource(WorkspaceTestResource.class)
class WorkspaceGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    static PrepareWorkspaceRequest git(String session, String url, boolean egress) {
        return PrepareWorkspaceRequest.newBuilder().setSessionId(session).setEgress(egress).setSource(WorkspaceSource
                .newBuilder().setGit(GitSource.newBuilder().setUrl(url))).build();
    }

    @Test
    void prepareWorkChangesCommitPushOverGrpc() throws Exception {
        GrpcCalls c = new GrpcCalls(stub);
        var p = stub.prepareWorkspace(git(c.session, System.getProperty("ct.tools.it.git"), true));
        assertFalse(p.getReused());
        assertEquals("git", p.getWorkspace().getKind());
        assertEquals("main", p.getWorkspace().getBranch());
        assertTrue(p.getWorkspace().getEgress());
        assertTrue(stub.prepareWorkspace(PrepareWorkspaceRequest.newBuilder().setSessionId(c.session).setEgress(true)
                .build()).getReused());

        var log = c.call("bash", json("command", "git log --format=%s -1 && git commit --allow-empty -qm x; echo rc=$?"));
        assertThat(log.getOutput()).contains("second").contains("rc=128");
        var edit = c.call("edit", json("path", "src/Calc.java", "old_string", "a - b", "new_string", "a + b"));
        assertTrue(edit.getOk(), edit.getError());
        c.call("write_file", json("path", "NOTES.md", "content", "agent notes\n"));

        String registry = System.getProperty("ct.tools.it.registry");
        var net = c.call("bash", json("command", "curl -sS --max-time 20 http://" + registry + "/npm/pkg; "
                + "curl -sS --max-time 20 http://evil.invalid/ >/dev/null; echo done", "timeout", 60));
        assertThat(net.getOutput()).contains("registry-ok /npm/pkg").contains("--- egress refused ---")
                .contains("evil.invalid:80 refused");
        var egress = stub.listEgress(ListEgressRequest.newBuilder().setSessionId(c.session).build());
        assertTrue(egress.getRecordsList().stream().anyMatch(r -> r.getOutcome().equals("allowed")
                && r.getBytesDown() > 0));
        assertTrue(egress.getRecordsList().stream().anyMatch(r -> r.getOutcome().equals("refused")
                && r.getHost().equals("evil.invalid")));

        var changes = stub.getChanges(GetChangesRequest.newBuilder().setSessionId(c.session).build());
        assertEquals(2, changes.getStats().getFilesChanged());
        assertEquals(p.getWorkspace().getBaseCommit(), changes.getStats().getBaseCommit());
        assertThat(changes.getDiff().toStringUtf8()).contains("+        return a + b;").contains("b/NOTES.md");

        var commit = stub.commitChanges(CommitChangesRequest.newBuilder().setSessionId(c.session)
                .setMessage("story 1").build());
        assertTrue(commit.getCommitted());
        var pushed = stub.pushChanges(PushChangesRequest.newBuilder().setSessionId(c.session)
                .setBranch("codetether/grpc-" + c.session.substring(2, 10)).build());
        Path bare = Path.of(System.getProperty("ct.tools.it.servers")).resolve("project.git");
        assertEquals(pushed.getCommit(), Git.run(bare, "rev-parse", "refs/heads/" + pushed.getBranch()).strip());
        assertEquals(commit.getCommit(), pushed.getCommit());

        stub.closeSession(CloseSessionRequest.newBuilder().setSessionId(c.session).setPurgeWorkspace(true).build());
        var gone = assertThrows(StatusRuntimeException.class, () -> stub.getChanges(GetChangesRequest.newBuilder()
                .setSessionId(c.session).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, gone.getStatus().getCode());
        assertThat(gone.getStatus().getDescription()).contains("call PrepareWorkspace first");
    }

    @Test
    void withoutEgressTheSandboxHasNoProxy() {
        GrpcCalls c = new GrpcCalls(stub);
        stub.prepareWorkspace(PrepareWorkspaceRequest.newBuilder().setSessionId(c.session).build());
        var r = c.call("bash", json("command", "env | grep -ci proxy; curl -sS --max-time 5 http://"
                + System.getProperty("ct.tools.it.registry") + "/ ; echo rc=$?"));
        assertThat(r.getOutput()).startsWith("0\n");
        assertFalse(r.getOutput().contains("rc=0"), r.getOutput());
    }

    @Test
    void httpsWithTheTokenFromVault() {
        String session = "t-" + UUID.randomUUID();
        var p = stub.prepareWorkspace(git(session, System.getProperty("ct.tools.it.https"), false));
        assertEquals(System.getProperty("ct.tools.it.https"), p.getWorkspace().getSource());
        assertFalse(p.toString().contains(System.getProperty("ct.tools.it.token")));
    }

    @Test
    void refusalsAreClearStatuses() throws Exception {
        var refused = assertThrows(StatusRuntimeException.class, () -> stub.prepareWorkspace(git("t-" + UUID.randomUUID(),
                "https://10.0.0.1/org/repo.git", false)));
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertThat(refused.getStatus().getDescription()).contains("10.0.0.1:443 is not on the allowlist");

        var bad = assertThrows(StatusRuntimeException.class, () -> stub.prepareWorkspace(git("t-" + UUID.randomUUID(),
                "file:///etc", false)));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());

        byte[] big = new byte[2 * 1024 * 1024 + 1];
        big[0] = 0x1f;
        big[1] = (byte) 0x8b;
        var tooBig = assertThrows(StatusRuntimeException.class, () -> stub.prepareWorkspace(PrepareWorkspaceRequest
                .newBuilder().setSessionId("t-" + UUID.randomUUID()).setSource(WorkspaceSource.newBuilder().setArchive(
                        ArchiveSource.newBuilder().setMediaType("application/gzip").setName("big.tar.gz")
                                .setData(ByteString.copyFrom(big)))).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
        assertThat(tooBig.getStatus().getDescription()).contains("the limit is 2097152");

        var type = assertThrows(StatusRuntimeException.class, () -> stub.prepareWorkspace(PrepareWorkspaceRequest
                .newBuilder().setSessionId("t-" + UUID.randomUUID()).setSource(WorkspaceSource.newBuilder().setArchive(
                        ArchiveSource.newBuilder().setMediaType("application/zip").setData(ByteString.copyFromUtf8("PK"))))
                .build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, type.getStatus().getCode());
        assertThat(type.getStatus().getDescription()).contains("application/x-git-bundle");

        var session = assertThrows(StatusRuntimeException.class, () -> stub.getChanges(GetChangesRequest.newBuilder()
                .setSessionId("../x").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, session.getStatus().getCode());
    }

    @Test
    void aBundleWithoutMediaTypeIsRecognised() throws Exception {
        Path servers = Path.of(System.getProperty("ct.tools.it.servers"));
        Path co = Files.createTempDirectory("ct-bundle-co");
        Git.run(co, "clone", "-q", servers.resolve("project.git").toString(), "c");
        Path bundle = co.resolve("x.bundle");
        Git.run(co.resolve("c"), "bundle", "create", "-q", bundle.toString(), "HEAD", "--branches");
        var p = stub.prepareWorkspace(PrepareWorkspaceRequest.newBuilder().setSessionId("t-" + UUID.randomUUID())
                .setSource(WorkspaceSource.newBuilder().setArchive(ArchiveSource.newBuilder().setName("x.bundle")
                        .setData(ByteString.copyFrom(Files.readAllBytes(bundle))))).build());
        assertEquals("bundle", p.getWorkspace().getKind());
        assertEquals(Git.run(co.resolve("c"), "rev-parse", "HEAD").strip(), p.getWorkspace().getBaseCommit());
        assertEquals("main", p.getWorkspace().getBranch());
    }

    /** The gateway's path for a client's archive: staged first, then prepared by id (the bytes never ride Kafka). */
    @Test
    void aStagedArchiveIsPreparedByIdAndAPrepareRepeatedAfterwardsReusesTheWorkspace() throws Exception {
        Path servers = Path.of(System.getProperty("ct.tools.it.servers"));
        Path co = Files.createTempDirectory("ct-staged-co");
        Git.run(co, "clone", "-q", servers.resolve("project.git").toString(), "c");
        Path bundle = co.resolve("x.bundle");
        Git.run(co.resolve("c"), "bundle", "create", "-q", bundle.toString(), "HEAD", "--branches");
        byte[] bytes = Files.readAllBytes(bundle);
        String session = "t-" + UUID.randomUUID();

        var staged = stub.stageArchive(StageArchiveRequest.newBuilder().setSessionId(session).setName("x.bundle")
                .setMediaType("application/octet-stream").setData(ByteString.copyFrom(bytes)).build());
        assertEquals(64, staged.getStagedId().length());
        assertEquals(bytes.length, staged.getSizeBytes());
        assertEquals("application/x-git-bundle", staged.getMediaType(), "recognised from the first bytes");
        PrepareWorkspaceRequest byId = PrepareWorkspaceRequest.newBuilder().setSessionId(session).setSource(
                WorkspaceSource.newBuilder().setArchive(ArchiveSource.newBuilder().setName("x.bundle")
                        .setMediaType(staged.getMediaType()).setStagedId(staged.getStagedId()))).build();
        var p = stub.prepareWorkspace(byId);
        assertFalse(p.getReused());
        assertEquals("bundle", p.getWorkspace().getKind());
        assertEquals(Git.run(co.resolve("c"), "rev-parse", "HEAD").strip(), p.getWorkspace().getBaseCommit());
        assertTrue(stub.prepareWorkspace(byId).getReused(), "a redelivered task finds its workspace, not an error");

        var elsewhere = assertThrows(StatusRuntimeException.class, () -> stub.prepareWorkspace(byId.toBuilder()
                .setSessionId("t-" + UUID.randomUUID()).build()));
        assertEquals(Status.Code.NOT_FOUND, elsewhere.getStatus().getCode());
        assertThat(elsewhere.getStatus().getDescription()).contains("send the archive again");

        byte[] big = new byte[2 * 1024 * 1024 + 1];
        big[0] = 0x1f;
        big[1] = (byte) 0x8b;
        var tooBig = assertThrows(StatusRuntimeException.class, () -> stub.stageArchive(StageArchiveRequest.newBuilder()
                .setSessionId(session).setName("big.tar.gz").setData(ByteString.copyFrom(big)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooBig.getStatus().getCode());
        assertThat(tooBig.getStatus().getDescription()).contains("the limit is 2097152")
                .contains("codetether.tools.archive.max-bytes");
        var zip = assertThrows(StatusRuntimeException.class, () -> stub.stageArchive(StageArchiveRequest.newBuilder()
                .setSessionId(session).setMediaType("application/zip").setData(ByteString.copyFromUtf8("PK")).build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, zip.getStatus().getCode());
    }
}
