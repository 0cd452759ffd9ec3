package run.codetether.agent.domain.dispatch;

import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * {@code question}: the task goes to A2A input-required with the question as its status message (its arguments
 * in the status metadata, so a client can show the options); the next message answers the call.
 */
public final class QuestionDispatch implements ToolDispatch {

    @Override
    public Dispatched dispatch(ToolInvocation call, CallScope scope) {
        Map<String, Object> asked = ToolInvocation.JSON.convertValue(call.arguments(),
                ToolInvocation.JSON.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
        return new Dispatched.AwaitingInput(call.text("question"), Map.of(MetadataKeys.QUESTION, asked));
    }
}
