package run.codetether.router.domain.grammar;

/**
 * An immutable position in the call grammar: a persistent stack of frames. {@link #feed(char)} returns the next
 * position or {@code null} when the symbol would leave the language, so a state can be shared while the token
 * masker explores many continuations from it.
 */
public final class GrammarState {

    final Frame top;
    final GrammarState below;

    GrammarState(Frame top, GrammarState below) {
        this.top = top;
        this.below = below;
    }

    /** The state after {@code c}, or {@code null} when {@code c} is not allowed here. */
    public GrammarState feed(char c) {
        return top.feed(c, below);
    }

    /** The state after every symbol of {@code symbols}, or {@code null}. */
    public GrammarState feed(CharSequence symbols) {
        GrammarState state = this;
        for (int i = 0; i < symbols.length() && state != null; i++) {
            state = state.feed(symbols.charAt(i));
        }
        return state;
    }

    /** True once the stop symbol was accepted. */
    public boolean finished() {
        return top instanceof Frames.Root root && root.done();
    }

    /** Number of calls written completely so far (a half-written call does not count). */
    public int completeCalls() {
        if (top instanceof Frames.Root root) {
            return root.calls();
        }
        GrammarState bottom = this;
        while (bottom.below != null) {
            bottom = bottom.below;
        }
        return ((Frames.Root) bottom.top).calls() - 1; // the root counts a call from its first symbol
    }

    /** True inside a string with no pending escape: every "plain" token is allowed here. */
    boolean inFreeString() {
        return top instanceof Frames.StringFrame s && s.escape() == 0;
    }

    /** The dialect of the string this state is in (only meaningful when {@link #inFreeString()}). */
    Dialect stringDialect() {
        return ((Frames.StringFrame) top).dialect();
    }

    static GrammarState push(GrammarState below, Frame... frames) {
        GrammarState state = below;
        for (int i = frames.length - 1; i >= 0; i--) {
            state = new GrammarState(frames[i], state);
        }
        return state;
    }

    /** One element of the stack; returns the whole next state (pushing, replacing or popping itself). */
    interface Frame {
        GrammarState feed(char c, GrammarState below);
    }
}
