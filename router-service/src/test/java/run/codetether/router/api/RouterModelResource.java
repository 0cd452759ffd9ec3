package run.codetether.router.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import run.codetether.router.fixtures.Fixtures;

/** Writes the generated model and tokenizer before the app boots and points the router at them. */
public class RouterModelResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "codetether.router.enabled", "true",
                "codetether.router.model-path", Fixtures.model().toString(),
                "codetether.router.tokenizer-path", Fixtures.tokenizer().toString(),
                "codetether.router.arch", "gemma3",
                "codetether.router.device", "auto",
                "codetether.router.intra-op-threads", "1");
    }

    @Override
    public void stop() {}
}
