package run.codetether.agent.domain.loop;

import java.util.List;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.CallRouter;

/**
 * A text-only reply while tools were offered goes to router-service, which may find the calls the model described
 * in words (small local models do). Any router failure keeps the text. Not asked when the model returned calls.
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
        return cx.withIds(router.route(text, cx.catalog.specs()));
    }
}
