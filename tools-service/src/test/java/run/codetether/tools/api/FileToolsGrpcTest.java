package run.codetether.tools.api;

import static run.codetether.tools.Expect.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static run.codetether.tools.api.GrpcCalls.json;
import static run.codetether.tools.api.GrpcCalls.meta;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.tools.v1.CloseSessionRequest;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ListToolsRequest;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;

/** File, search, edit, patch, undo and batch tools over gRPC, with their error paths. */
@QuarkusTest
class FileToolsGrpcTest {

    @GrpcClient("tools")
    ToolServiceGrpc.ToolServiceBlockingStub stub;

    GrpcCalls c;

    @BeforeEach
    void session() {
        c = new GrpcCalls(stub);
    }

    Path ws() {
        return Path.of("target/test-workspaces", c.session).toAbsolutePath();
    }

    @Test
    void listPublishesEveryToolWithAValidJsonSchema() throws Exception {
        var tools = stub.list(ListToolsRequest.getDefaultInstance()).getToolsList();
        Set<String> names = tools.stream().map(t -> t.getName()).collect(Collectors.toSet());
        assertThat(names).contains("read_file", "write_file", "list_dir", "glob", "grep", "codesearch", "edit",
                "multiedit", "apply_patch", "undo", "confirm_edit", "confirm_multiedit", "bash", "batch", "lsp",
                "webfetch", "websearch", "image");
        for (var t : tools) {
            JsonNode schema = GrpcCalls.JSON.readTree(t.getParametersJsonSchema());
            assertEquals("object", schema.path("type").asText(), t.getName());
            assertTrue(schema.path("properties").isObject(), t.getName());
            assertFalse(t.getDescription().isBlank(), t.getName());
        }
        // what the agent's save policy (and later its approval gate) reads, declared by each tool
        Set<String> readOnly = tools.stream().filter(t -> t.getReadOnly()).map(t -> t.getName()).collect(Collectors.toSet());
        assertThat(readOnly).contains("read_file", "list_dir", "glob", "grep", "codesearch", "image", "webfetch",
                "websearch", "lsp");
        for (String mutating : List.of("write_file", "edit", "multiedit", "apply_patch", "undo", "confirm_edit",
                "confirm_multiedit", "bash", "batch")) {
            assertFalse(readOnly.contains(mutating), mutating + " changes the workspace");
        }
        assertEquals(Set.of("bash"), tools.stream().filter(t -> t.getStreams()).map(t -> t.getName())
                .collect(Collectors.toSet()));
        assertEquals(Set.of("webfetch", "websearch"), tools.stream().filter(t -> t.getNetwork()).map(t -> t.getName())
                .collect(Collectors.toSet()));
    }

    @Test
    void previewShowsTheDiffOfEveryEditToolAndChangesNothing() throws Exception {
        assertTrue(c.call("write_file", json("path", "p.txt", "content", "alpha\nbeta\n")).getOk());
        var edit = stub.preview(c.request("x", "edit", json("path", "p.txt", "old_string", "beta", "new_string", "gamma")));
        assertTrue(edit.getHasPreview());
        assertThat(edit.getDiff()).contains("--- a/p.txt").contains("+++ b/p.txt").contains("-beta").contains("+gamma");
        var multi = stub.preview(c.request("x", "multiedit", "{\"edits\":[{\"path\":\"p.txt\",\"old_string\":"
                + "\"alpha\",\"new_string\":\"one\"}]}"));
        assertThat(multi.getDiff()).contains("-alpha").contains("+one");
        var write = stub.preview(c.request("x", "write_file", json("path", "p.txt", "content", "alpha\n")));
        assertThat(write.getDiff()).contains("-beta");
        var created = stub.preview(c.request("x", "write_file", json("path", "new.txt", "content", "fresh\n")));
        assertThat(created.getDiff()).contains("+fresh");
        var patch = stub.preview(c.request("x", "apply_patch", json("patch",
                "--- a/p.txt\n+++ b/p.txt\n@@ -1,2 +1,2 @@\n alpha\n-beta\n+delta\n")));
        assertThat(patch.getDiff()).contains("+delta");
        var failing = stub.preview(c.request("x", "edit", json("path", "p.txt", "old_string", "zeta", "new_string", "z")));
        assertTrue(failing.getHasPreview());
        assertTrue(failing.getDiff().isEmpty());
        assertThat(failing.getError()).contains("old_string not found in p.txt");
        assertFalse(stub.preview(c.request("x", "bash", json("command", "ls"))).getHasPreview());
        assertEquals("alpha\nbeta\n", Files.readString(ws().resolve("p.txt")), "a preview writes nothing");
        assertFalse(Files.exists(ws().resolve("new.txt")));
    }

    @Test
    void writeThenReadWithLineNumbersOffsetAndLimit() {
        var w = c.call("write_file", json("path", "src/a.txt", "content", "one\ntwo\nthree\nfour\n"));
        assertTrue(w.getOk(), w.getError());
        var r = c.call("read_file", json("path", "src/a.txt", "offset", 2, "limit", 2));
        assertTrue(r.getOk(), r.getError());
        assertThat(r.getOutput()).startsWith("   2 | two\n   3 | three").contains("continue with offset=4");
        assertEquals(4, meta(r).get("total_lines").asInt());
        // The original's tool names still work.
        assertTrue(c.call("read", json("path", "src/a.txt")).getOk());
    }

    @Test
    void readRefusesMissingBinaryDirectoryAndBadArguments() throws Exception {
        Files.createDirectories(ws());
        Files.write(ws().resolve("bin.dat"), new byte[] {1, 0, 2, 3});
        assertThat(c.call("read_file", json("path", "nope.txt")).getError()).startsWith("NOT_FOUND");
        assertThat(c.call("read_file", json("path", "bin.dat")).getError()).contains("binary file");
        assertThat(c.call("read_file", json("path", ".")).getError()).contains("directory");
        assertThat(c.call("read_file", json()).getError()).contains("'path' is required");
        assertThat(c.call("read_file", json("path", "bin.dat", "offset", 0)).getError()).contains("between 1");
        assertThat(c.call("read_file", "{not json").getError()).contains("not valid JSON");
        assertThat(c.call("read_file", "[1]").getError()).contains("must be a JSON object");
    }

    @Test
    void hugeFileIsReadByWindow() throws Exception {
        Files.createDirectories(ws());
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 200_000; i++) {
            sb.append("line ").append(i).append('\n');
        }
        Files.writeString(ws().resolve("big.log"), sb);
        var r = c.call("read_file", json("path", "big.log", "offset", 199_999, "limit", 5));
        assertTrue(r.getOk(), r.getError());
        assertThat(r.getOutput()).isEqualTo("199999 | line 199999\n200000 | line 200000");
        var def = c.call("read_file", json("path", "big.log"));
        assertTrue(def.getTruncated());
        assertEquals(2000, meta(def).get("read_lines").asInt());
    }

    @Test
    void pathsOutsideTheWorkspaceAreRefused() throws Exception {
        Files.createDirectories(ws());
        Files.createSymbolicLink(ws().resolve("etc-link"), Path.of("/etc"));
        Files.createSymbolicLink(ws().resolve("dangling"), Path.of("/tmp/codetether-not-here/x"));
        for (String bad : List.of("../x.txt", "a/../../x.txt", "/etc/passwd", "etc-link/passwd", "dangling")) {
            var r = c.call("write_file", json("path", bad, "content", "pwned"));
            assertFalse(r.getOk(), bad);
            assertThat(r.getError()).as(bad).startsWith("PATH_REFUSED");
        }
        assertThat(c.call("read_file", json("path", "etc-link/passwd")).getError()).contains("symlink");
        assertFalse(Files.exists(Path.of("/tmp/codetether-not-here/x")));
        assertThat(c.call("list_dir", json("path", "..")).getError()).startsWith("PATH_REFUSED");
        // Inside-the-workspace '..' is fine.
        assertTrue(c.call("write_file", json("path", "a/../b.txt", "content", "ok")).getOk());
        assertTrue(Files.exists(ws().resolve("b.txt")));
    }

    @Test
    void listDirAndGlob() {
        c.call("write_file", json("path", "src/main/A.java", "content", "class A {}"));
        c.call("write_file", json("path", "src/B.java", "content", "class B {}"));
        c.call("write_file", json("path", "README.md", "content", "x"));
        var l = c.call("list_dir", json("path", "."));
        assertEquals("README.md\nsrc/", l.getOutput());
        var g = c.call("glob", json("pattern", "**/*.java"));
        assertEquals("src/B.java\nsrc/main/A.java", g.getOutput());
        assertEquals("src/B.java", c.call("glob", json("pattern", "src/*.java")).getOutput());
        // As the original's glob: a pattern without '/' matches in the workspace root only.
        assertEquals("README.md", c.call("glob", json("pattern", "*.md")).getOutput());
        assertEquals("", c.call("glob", json("pattern", "*.java")).getOutput());
        assertThat(c.call("list_dir", json("path", "README.md")).getError()).contains("not a directory");
        assertThat(c.call("list_dir", json("path", "missing")).getError()).startsWith("NOT_FOUND");
        assertThat(c.call("glob", json("pattern", "../**")).getError()).startsWith("PATH_REFUSED");
    }

    @Test
    void grepWithRegexIncludeExcludeAndContext() {
        c.call("write_file", json("path", "a.rs", "content", "fn main() {\n  let x = 1;\n  println!(\"hi\");\n}\n"));
        c.call("write_file", json("path", "b.txt", "content", "let y = 2;\n"));
        c.call("write_file", json("path", "gen/c.rs", "content", "let z = 3;\n"));
        var r = c.call("grep", json("pattern", "let \\w", "is_regex", true, "include", "*.rs", "exclude", "gen",
                "context_lines", 1));
        assertTrue(r.getOk(), r.getError());
        assertEquals("a.rs-1- fn main() {\na.rs:2:   let x = 1;\na.rs-3-   println!(\"hi\");\n--", r.getOutput());
        var literal = c.call("grep", json("pattern", "println!(\""));
        assertThat(literal.getOutput()).isEqualTo("a.rs:3:   println!(\"hi\");");
        assertThat(c.call("grep", json("pattern", "nothing-here")).getOutput()).startsWith("No matches");
        assertThat(c.call("grep", json("pattern", "(", "is_regex", true)).getError()).contains("invalid regex");
        var limited = c.call("grep", json("pattern", "let", "limit", 1));
        assertTrue(limited.getTruncated());
    }

    @Test
    void codesearchShowsContextBlocks() {
        c.call("write_file", json("path", "x.py", "content", "a = 1\ndef Foo():\n    pass\n"));
        var r = c.call("codesearch", json("pattern", "def foo", "context_lines", 1));
        assertTrue(r.getOk(), r.getError());
        assertThat(r.getOutput()).contains("Found 1 matches").contains("x.py:2").contains("    2 > def Foo():")
                .contains("    1   a = 1");
        assertEquals(0, meta(c.call("codesearch", json("pattern", "zzz"))).get("match_count").asInt());
    }

    @Test
    void editNeedsOneExactMatch() throws Exception {
        c.call("write_file", json("path", "f.txt", "content", "alpha\nbeta\nbeta\n  gamma\n"));
        var ok = c.call("edit", json("path", "f.txt", "old_string", "alpha", "new_string", "ALPHA"));
        assertTrue(ok.getOk(), ok.getError());
        assertThat(meta(ok).get("diff").asText()).contains("-alpha").contains("+ALPHA");
        var amb = c.call("edit", json("path", "f.txt", "old_string", "beta", "new_string", "B"));
        assertThat(amb.getError()).startsWith("AMBIGUOUS_MATCH").contains("2 times");
        var none = c.call("edit", json("path", "f.txt", "old_string", "gamma \n", "new_string", "G"));
        assertThat(none.getError()).startsWith("NOT_FOUND").contains("whitespace");
        assertThat(c.call("edit", json("path", "nope", "old_string", "a", "new_string", "b")).getError())
                .startsWith("NOT_FOUND");
        assertEquals("ALPHA\nbeta\nbeta\n  gamma\n", Files.readString(ws().resolve("f.txt")));
    }

    @Test
    void multieditIsAllOrNothing() throws Exception {
        c.call("write_file", json("path", "a.txt", "content", "one\n"));
        c.call("write_file", json("path", "b.txt", "content", "two\n"));
        var bad = c.call("multiedit", json("edits", List.of(
                Map.of("file", "a.txt", "old_string", "one", "new_string", "1"),
                Map.of("file", "b.txt", "old_string", "missing", "new_string", "2"))));
        assertThat(bad.getError()).contains("edit #2 failed, no file was changed");
        assertEquals("one\n", Files.readString(ws().resolve("a.txt")));
        var good = c.call("multiedit", json("edits", List.of(
                Map.of("file", "a.txt", "old_string", "one", "new_string", "1"),
                Map.of("file", "b.txt", "old_string", "two", "new_string", "2"),
                Map.of("file", "a.txt", "old_string", "1", "new_string", "uno"))));
        assertTrue(good.getOk(), good.getError());
        assertEquals("uno\n", Files.readString(ws().resolve("a.txt")));
        assertEquals("2\n", Files.readString(ws().resolve("b.txt")));
        assertThat(c.call("multiedit", json("edits", List.of())).getError()).contains("must not be empty");
    }

    @Test
    void applyPatchAllOrNothingWithClearHunkErrors() throws Exception {
        c.call("write_file", json("path", "m.txt", "content", "a\nb\nc\nd\n"));
        c.call("write_file", json("path", "n.txt", "content", "x\n"));
        String good = "--- a/m.txt\n+++ b/m.txt\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"
                + "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n";
        String bad = "--- a/n.txt\n+++ b/n.txt\n@@ -1,1 +1,1 @@\n-x\n+X\n"
                + "--- a/m.txt\n+++ b/m.txt\n@@ -1,2 +1,2 @@\n a\n-zzz\n+q\n";
        var dry = c.call("apply_patch", json("patch", good, "dry_run", true));
        assertTrue(dry.getOk(), dry.getError());
        assertFalse(Files.exists(ws().resolve("new.txt")));
        var r = c.call("apply_patch", json("patch", good));
        assertTrue(r.getOk(), r.getError());
        assertEquals("a\nB\nc\nd\n", Files.readString(ws().resolve("m.txt")));
        assertEquals("hello\nworld\n", Files.readString(ws().resolve("new.txt")));
        var f = c.call("apply_patch", json("patch", bad));
        assertThat(f.getError()).startsWith("PATCH_FAILED").contains("hunk 1").contains("m.txt")
                .contains("line 2 is 'B' but the hunk expects 'zzz'");
        assertEquals("x\n", Files.readString(ws().resolve("n.txt")));
        assertThat(c.call("apply_patch", json("patch", "not a diff")).getError()).contains("no file headers");
        assertThat(c.call("apply_patch", json("patch", "--- /dev/null\n+++ b/m.txt\n@@ -0,0 +1 @@\n+x\n"))
                .getError()).contains("already exists");
        assertThat(c.call("apply_patch", json("patch", "--- a/../../etc/x\n+++ b/../../etc/x\n@@ -1 +1 @@\n-a\n+b\n"))
                .getError()).startsWith("PATH_REFUSED");
    }

    @Test
    void undoRevertsTheSessionsEditsNewestFirst() throws Exception {
        c.call("write_file", json("path", "u.txt", "content", "v1\n"));
        c.call("edit", json("path", "u.txt", "old_string", "v1", "new_string", "v2"));
        c.call("write_file", json("path", "created.txt", "content", "new"));
        var preview = c.call("undo", json("steps", 2, "preview", true));
        assertThat(preview.getOutput()).contains("Would undo 2");
        assertTrue(Files.exists(ws().resolve("created.txt")));
        var u = c.call("undo", json("steps", 2));
        assertTrue(u.getOk(), u.getError());
        assertFalse(Files.exists(ws().resolve("created.txt")));
        assertEquals("v1\n", Files.readString(ws().resolve("u.txt")));
        c.call("undo", json());
        assertFalse(Files.exists(ws().resolve("u.txt")));
        assertThat(c.call("undo", json()).getError()).contains("nothing to undo");
        assertThat(c.call("undo", json("steps", 11)).getError()).contains("between 1 and 10");
    }

    @Test
    void confirmEditPreviewsThenAppliesOrRejects() throws Exception {
        c.call("write_file", json("path", "c.txt", "content", "hello\n"));
        var p = c.call("confirm_edit", json("path", "c.txt", "old_string", "hello", "new_string", "bye"));
        assertTrue(meta(p).get("requires_confirmation").asBoolean());
        assertThat(p.getOutput()).contains("-hello").contains("+bye");
        assertEquals("hello\n", Files.readString(ws().resolve("c.txt")));
        c.call("confirm_edit", json("path", "c.txt", "old_string", "hello", "new_string", "bye", "confirm", false));
        assertEquals("hello\n", Files.readString(ws().resolve("c.txt")));
        c.call("confirm_edit", json("path", "c.txt", "old_string", "hello", "new_string", "bye", "confirm", true));
        assertEquals("bye\n", Files.readString(ws().resolve("c.txt")));
        var multi = c.call("confirm_multiedit", json("edits", List.of(Map.of("file", "c.txt", "old_string", "bye",
                "new_string", "ciao"))));
        assertEquals(1, meta(multi).get("total_files").asInt());
        assertEquals("bye\n", Files.readString(ws().resolve("c.txt")));
        c.call("confirm_multiedit", json("edits", List.of(Map.of("file", "c.txt", "old_string", "bye",
                "new_string", "ciao")), "confirm", true));
        assertEquals("ciao\n", Files.readString(ws().resolve("c.txt")));
        assertThat(c.call("confirm_edit", json("path", "c.txt", "old_string", "zz", "new_string", "y")).getError())
                .startsWith("NOT_FOUND");
    }

    @Test
    void imageReportsTypeSizeAndBase64WithinLimits() throws Exception {
        Files.createDirectories(ws());
        var img = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
        javax.imageio.ImageIO.write(img, "png", ws().resolve("p.bin").toFile());
        var r = c.call("image", json("path", "p.bin"));
        assertTrue(r.getOk(), r.getError());
        assertThat(r.getOutput()).startsWith("data:image/png;base64,iVBOR");
        assertEquals(3, meta(r).get("width").asInt());
        assertEquals(2, meta(r).get("height").asInt());
        Files.writeString(ws().resolve("t.png"), "not an image");
        assertThat(c.call("image", json("path", "t.png")).getError()).contains("not a recognised image");
        Files.write(ws().resolve("huge.png"), new byte[6 * 1024 * 1024]);
        assertThat(c.call("image", json("path", "huge.png")).getError()).startsWith("TOO_LARGE");
        assertThat(c.call("image", json("path", "http://127.0.0.1/x.png")).getError()).contains("URLs");
    }

    @Test
    void batchRunsCallsAndReportsEachResult() {
        c.call("write_file", json("path", "k.txt", "content", "k\n"));
        var r = c.call("batch", json("calls", List.of(
                Map.of("tool", "read_file", "args", Map.of("path", "k.txt")),
                Map.of("tool", "edit", "args", Map.of("path", "k.txt", "old_string", "k", "new_string", "K")),
                Map.of("tool", "read_file", "args", Map.of("path", "k.txt")),
                Map.of("tool", "nope", "args", Map.of()),
                Map.of("tool", "batch", "args", Map.of("calls", List.of())))));
        assertFalse(r.getOk());
        JsonNode results = meta(r).get("results");
        assertThat(results.get(0).get("output").asText()).contains("1 | k");
        assertThat(results.get(2).get("output").asText()).contains("1 | K");
        assertThat(results.get(3).get("error").asText()).startsWith("UNKNOWN_TOOL");
        assertThat(results.get(4).get("error").asText()).contains("nested batch");
        assertEquals(3, meta(r).get("success_count").asInt());
    }

    @Test
    void repeatedCallIdReplaysAndNeverAppliesTwice() throws Exception {
        c.call("write_file", json("path", "i.txt", "content", "a\n"));
        String args = json("path", "i.txt", "old_string", "a", "new_string", "aa");
        var first = c.callWithId("same-id", "edit", args);
        var again = c.callWithId("same-id", "edit", args);
        assertTrue(first.getOk());
        assertFalse(first.getReplayed());
        assertTrue(again.getReplayed());
        assertEquals(first.getOutput(), again.getOutput());
        assertEquals("aa\n", Files.readString(ws().resolve("i.txt")));
    }

    @Test
    void badEnvelopeIsInvalidArgumentAndUnknownToolIsAResult() {
        var ex = assertThrows(StatusRuntimeException.class, () -> stub.execute(ExecuteRequest.newBuilder()
                .setSessionId("../evil").setCallId("1").setToolName("read_file").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, ex.getStatus().getCode());
        var noCall = assertThrows(StatusRuntimeException.class, () -> stub.execute(ExecuteRequest.newBuilder()
                .setSessionId("s1").setToolName("read_file").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, noCall.getStatus().getCode());
        var unknown = c.call("frobnicate", "{}");
        assertThat(unknown.getError()).startsWith("UNKNOWN_TOOL").contains("read_file");
    }

    @Test
    void closeSessionForgetsResultsAndPurgesTheWorkspace() {
        c.call("write_file", json("path", "z.txt", "content", "z"));
        var first = c.callWithId("k1", "read_file", json("path", "z.txt"));
        assertTrue(stub.closeSession(CloseSessionRequest.newBuilder().setSessionId(c.session)
                .setPurgeWorkspace(true).build()).getClosed());
        assertFalse(Files.exists(ws()));
        var after = c.callWithId("k1", "read_file", json("path", "z.txt"));
        assertFalse(after.getReplayed());
        assertThat(after.getError()).startsWith("NOT_FOUND");
        assertTrue(first.getOk());
    }
}
