package run.codetether.router.domain.grammar;

/** How a call is written: the original's JSON template, or FunctionGemma's own control-token format. */
public enum Dialect {
    /** {@code <tool_call>{"name": "t", "arguments": {...}}</tool_call>}; JSON values, optional whitespace. */
    JSON_TOOL_CALL,
    /** {@code <start_function_call>call:t{key:<escape>v<escape>}<end_function_call>}; bare keys, no whitespace. */
    FUNCTION_GEMMA;

    /** The character that opens and closes a string value. */
    char quote() {
        return this == JSON_TOOL_CALL ? '"' : Symbols.ESCAPE;
    }
}
