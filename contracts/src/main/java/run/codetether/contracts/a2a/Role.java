package run.codetether.contracts.a2a;

/** Who wrote a message. The A2A bindings map this to their own spellings at the edge. */
public enum Role {
    USER,
    AGENT
}
