package run.codetether.cli.turn;

/** What a turn shows, in order: model text per step, tool calls, progress lines. */
public sealed interface TurnItem {
    /** Text the model streamed in one step (cumulative on the wire: each update replaces it). */
    final class Text implements TurnItem {
        public final int step;
        String text = "";

        Text(int step) {
            this.step = step;
        }

        public String text() {
            return text;
        }
    }

    record Tool(ToolCall call) implements TurnItem {}

    /** A progress sentence (swarm, Ralph, RLM, skills): never part of the answer. */
    record Progress(String text) implements TurnItem {}
}
