package run.codetether.cli.turn;

/** What a turn shows, in order: model text per step, tool calls, progress lines. */
public sealed interface TurnItem {
    /**
     * Text the model streamed in one step: the answer artifact's chunks, each placed at its {@code text_offset} (a
     * chunk seen twice does not repeat text).
     */
    final class Text implements TurnItem {
        public final int step;
        String text = "";

        Text(int step) {
            this.step = step;
        }

        public String text() {
            return text;
        }

        /** The first {@code offset} characters (all of them when it holds fewer). */
        String upTo(long offset) {
            return offset >= 0 && offset < text.length() ? text.substring(0, (int) offset) : text;
        }

        /** Places a chunk at {@code offset} (-1: after the text so far); text already there is kept as it is. */
        void place(long offset, String chunk) {
            if (offset < 0 || offset > text.length()) {
                text = text + chunk;
            } else if (!text.startsWith(chunk, (int) offset)) {
                text = text.substring(0, (int) offset) + chunk;
            }
        }
    }

    record Tool(ToolCall call) implements TurnItem {}

    /** A progress sentence (swarm, Ralph, RLM, skills): never part of the answer. */
    record Progress(String text) implements TurnItem {}
}
