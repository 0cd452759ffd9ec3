package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.BrowserType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Chromium for browser tests, started as the machine needs it: headless, no sandbox (tests run as root),
 * and without the background connections a closed network refuses (component updates, sync, QUIC probes).
 * Playwright never downloads a browser here.
 */
final class Chromium {
    static final Path EXECUTABLE = Path.of(System.getProperty("codetether.chromium",
            System.getenv().getOrDefault("CODETETHER_CHROMIUM", "/usr/bin/chromium")));

    private Chromium() {}

    /** Fails in CI (which installs chromium) and skips elsewhere when the browser is missing. */
    static void require() {
        if (Files.isExecutable(EXECUTABLE)) {
            return;
        }
        String why = EXECUTABLE + " is missing: install Debian's chromium (apt-get install chromium)";
        if (System.getenv("CI") != null) {
            fail(why);
        }
        assumeTrue(false, why);
    }

    static BrowserType.LaunchOptions options() {
        return new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--disable-dev-shm-usage"));
    }
}
