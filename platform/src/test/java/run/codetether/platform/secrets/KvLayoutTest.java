package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KvLayoutTest {
    @Test
    void providersAtTheOriginalsPathOtherNamespacesBesideIt() {
        KvLayout layout = new KvLayout("/codetether/providers/");
        assertEquals("codetether/providers/anthropic", layout.path(SecretName.provider("anthropic")));
        assertEquals("codetether/git/github.com", layout.path(SecretName.git("github.com")));
        assertEquals("codetether/mcp/search", layout.path(SecretName.mcp("search")));
    }

    @Test
    void aOneSegmentProvidersPathPutsNamespacesAtTheMountRoot() {
        KvLayout layout = new KvLayout("keys");
        assertEquals("keys/openrouter", layout.path(SecretName.provider("openrouter")));
        assertEquals("git/h", layout.path(SecretName.git("h")));
        assertEquals("codetether/providers/x", new KvLayout(" ").path(SecretName.provider("x")), "blank = default");
    }
}
