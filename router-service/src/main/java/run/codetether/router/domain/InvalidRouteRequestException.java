package run.codetether.router.domain;

/** A request the router cannot accept as given (bad schema, duplicate tool ...): the caller must fix it. */
public final class InvalidRouteRequestException extends RuntimeException {
    public InvalidRouteRequestException(String message) {
        super(message);
    }
}
