package run.codetether.gateway.api.cognition;

/** The JSON body of every cognition API error: {@code {"error": "...", "status": 404}}. */
record ErrorBody(String error, int status) {}
