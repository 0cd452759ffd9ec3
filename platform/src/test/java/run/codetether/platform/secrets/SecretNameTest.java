package run.codetether.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SecretNameTest {
    @Test
    void textFormsParse() {
        assertEquals(SecretName.provider("anthropic"), SecretName.parse("anthropic"));
        assertEquals(SecretName.git("github.example:8443"), SecretName.parse("git:github.example:8443"));
        assertEquals("mcp:search", SecretName.mcp("search").toString());
    }

    @Test
    void aNameThatCouldEscapeItsVaultFolderIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SecretName.git("a/b"));
        assertThrows(IllegalArgumentException.class, () -> SecretName.git("a..b"));
        assertThrows(IllegalArgumentException.class, () -> SecretName.provider(""));
        assertThrows(IllegalArgumentException.class, () -> SecretName.parse("Bad:x"));
        assertThrows(IllegalArgumentException.class, () -> SecretName.provider("with space"));
    }
}
