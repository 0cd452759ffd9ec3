package run.codetether.gateway.support.binding;

/** The A2A operations, as the conformance suite calls them on every binding. */
public enum Op {
    SEND,
    STREAM,
    GET,
    LIST,
    CANCEL,
    SUBSCRIBE,
    PUSH_CREATE,
    PUSH_GET,
    PUSH_LIST,
    PUSH_DELETE,
    EXTENDED_CARD
}
