package run.codetether.agent.domain.rlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.agent.domain.loop.AgentSettings;
import run.codetether.agent.domain.loop.LoopAccess;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ProviderResolver;
import run.codetether.agent.domain.port.ToolExecutor;
import run.codetether.agent.domain.session.Session;

/**
 * Loading files the way tools-service serves them: numbered read_file pages with total_lines/read_lines
 * metadata (as tools-service's ReadFileTool answers), and directories through glob.
 */
class RlmSourcesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A tools-service that pages a 5-line file 2 lines at a time, numbered "%4d | text". */
    static final class PagingTools implements LoopAccess {
        final List<String> file = List.of("alpha", "beta | with a bar", "gamma", "", "epsilon");
        final List<String> calls = new ArrayList<>();

        @Override
        public ToolExecutor.Outcome tool(String callKey, String name, String argumentsJson) {
            calls.add(name + " " + argumentsJson);
            JsonNode a;
            try {
                a = JSON.readTree(argumentsJson);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (name.equals("glob")) {
                return new ToolExecutor.Outcome(true, "docs/a.txt\ndocs/b.txt", "", false, "{}");
            }
            String path = a.path("path").asText();
            if (path.equals("docs")) {
                return new ToolExecutor.Outcome(false, "", "docs is a directory; use list_dir", false, "");
            }
            int offset = a.path("offset").asInt();
            int shown = Math.min(2, file.size() - offset + 1);
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < shown; i++) {
                out.append(i > 0 ? "\n" : "").append("%4d | %s".formatted(offset + i, file.get(offset - 1 + i)));
            }
            if (offset - 1 + shown < file.size()) {
                out.append("\n\n[").append(shown).append(" of 5 lines shown; continue with offset=").append(offset + shown)
                        .append(']');
            }
            return new ToolExecutor.Outcome(true, out.toString(), "", false,
                    "{\"total_lines\":5,\"read_lines\":" + shown + ",\"size_bytes\":40}");
        }

        @Override
        public String taskId() {
            return "t";
        }

        @Override
        public String contextId() {
            return "c";
        }

        @Override
        public String workspaceId() {
            return "c";
        }

        @Override
        public Session session() {
            return new Session("c");
        }

        @Override
        public ProviderResolver.Resolved model() {
            throw new UnsupportedOperationException();
        }

        @Override
        public AgentSettings settings() {
            return AgentSettings.defaults("w");
        }

        @Override
        public ModelReply chat(ModelRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SubAgentResult subAgent(String key, String prompt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void progress(String text, Map<String, Object> metadata) {}

        @Override
        public void checkStop() {}
    }

    @Test
    void numberedPagesAreJoinedWithoutTheirNumbers() throws Exception {
        PagingTools tools = new PagingTools();
        var loaded = new RlmSources(tools, "k", 1_000).load("f.txt");
        assertEquals(1, loaded.size());
        assertNull(loaded.get(0).error());
        assertEquals("alpha\nbeta | with a bar\ngamma\n\nepsilon\n", loaded.get(0).text());
        assertEquals(3, tools.calls.size(), "three pages of two lines");
        assertTrue(tools.calls.get(2).contains("\"offset\":5"), tools.calls.get(2));
    }

    @Test
    void aDirectoryIsReadFileByFileThroughGlob() throws Exception {
        PagingTools tools = new PagingTools();
        var loaded = new RlmSources(tools, "k", 1_000).load("docs");
        assertEquals(List.of("docs/a.txt", "docs/b.txt"), loaded.stream().map(RlmSources.Loaded::path).toList());
        assertTrue(tools.calls.get(1).startsWith("glob {\"pattern\":\"docs/**/*\""), tools.calls.get(1));
    }

    @Test
    void contentOverTheLimitIsRefused() {
        var e = assertThrows(RlmSources.TooLarge.class, () -> new RlmSources(new PagingTools(), "k", 10).load("f.txt"));
        assertTrue(e.getMessage().contains("codetether.agent.rlm.max-content-chars (10 chars)"), e.getMessage());
    }
}
