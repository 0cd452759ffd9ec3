package run.codetether.agent.domain.loop;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.CallRouter;

/**
 * A text-only reply while tools were offered goes to router-service, which may find the calls the model described
 * in words (small local models do). Any router failure keeps the text. Not asked when the model returned calls,
 * nor when the text has no shape of a call ({@link CallShape}): a plain final answer costs no router CPU.
 */
final class RouterFallback {
    private final CallRouter router;

    RouterFallback(CallRouter router) {
        this.router = router;
    }

    List<ToolCall> calls(RunContext cx, String text) {
        if (cx.catalog.specs().isEmpty() || text.isBlank()) {
            return List.of();
        }
        Set<String> names = cx.catalog.specs().stream().map(s -> s.name()).collect(Collectors.toSet());
        if (!CallShape.looksLikeCall(text, names)) {
            return List.of();
        }
        return cx.withIds(router.route(text, cx.catalog.specs()));
    }
}
