package run.codetether.tools.domain.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** URL parsing, what git is given, and redaction. */
class GitUrlTest {

    @Test
    void parsesTheThreeTransportsAndScpForm() {
        GitUrl h = GitUrl.parse("https://user:s3cr3t-token@Git.Example.invalid/org/repo.git");
        assertEquals("https", h.scheme());
        assertEquals("git.example.invalid", h.host());
        assertEquals(443, h.port());
        assertEquals("https://git.example.invalid/org/repo.git", h.display());
        assertEquals("https://git.example.invalid:443/org/repo.git", h.forGit("192.0.2.1"));
        assertEquals("s3cr3t-token", ((GitCredential.Token) h.inlineCredential().orElseThrow()).token());
        assertFalse(h.toString().contains("s3cr3t"));

        GitUrl s = GitUrl.parse("git@github.invalid:org/repo.git");
        assertTrue(s.scp());
        assertEquals(22, s.port());
        assertEquals("git@github.invalid:org/repo.git", s.display());
        assertEquals("git@github.invalid:org/repo.git", s.forGit("192.0.2.1"));

        GitUrl ssh = GitUrl.parse("ssh://git@host.invalid:2222/srv/repo.git");
        assertEquals("ssh://git@host.invalid:2222/srv/repo.git", ssh.forGit("192.0.2.1"));

        GitUrl g = GitUrl.parse("git://host.invalid/repo.git");
        assertEquals(9418, g.port());
        assertEquals("git://192.0.2.1:9418/repo.git", g.forGit("192.0.2.1"), "git:// is pinned by address");
        assertEquals("git://[2001:db8::1]:9418/repo.git", g.forGit("2001:db8::1"));
        assertEquals("git://host.invalid/lib.git", g.resolve("../lib.git").display());
    }

    @Test
    void refusesEverythingElse() {
        for (String bad : List.of("", "/srv/repo", "./repo", "file:///etc", "ext::sh -c id", "fd::foo",
                "https://host.invalid/", "https://host.invalid/r?x=1", "ftp://host.invalid/r", "-oProxyCommand=x:r",
                "https://bad_host!.invalid/r", "git@host.invalid:r with space", "https://h.invalid/r\nx", "https://h.invalid/a b")) {
            var e = assertThrows(WorkspaceException.class, () -> GitUrl.parse(bad), bad);
            assertEquals(WorkspaceException.Code.INVALID_ARGUMENT, e.code(), bad);
        }
    }

    @Test
    void redactsUserInfoAndKnownSecrets() {
        Redactor r = Redactor.of(List.of("tok_abcdef123456"));
        assertEquals("fatal: https://***@h.invalid/r failed, *** again",
                r.apply("fatal: https://u:tok_abcdef123456@h.invalid/r failed, tok_abcdef123456 again"));
        assertEquals("see ssh://***@h.invalid/r", Redactor.urls("see ssh://git@h.invalid/r"));
    }
}
