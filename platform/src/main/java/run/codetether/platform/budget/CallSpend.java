package run.codetether.platform.budget;


/**
 * One model call's share of its tenant's day: its tokens always, its cost when the model has a price.
 *
 * @param costUsd null when the model is unpriced (its cost is unknown: it adds nothing to a budget)
 * @param taskId the task that made the call (the day's task count counts distinct ids), or null when not known
 */
public record CallSpend(String provider, String model, Tokens usage, Double costUsd, String taskId) {
    public CallSpend {
        provider = provider == null || provider.isBlank() ? "unknown" : provider;
        model = model == null || model.isBlank() ? "unknown" : model;
        usage = usage == null ? Tokens.ZERO : usage;
        taskId = taskId == null || taskId.isBlank() ? null : taskId;
        if (costUsd != null && !(costUsd >= 0)) {
            throw new IllegalArgumentException("a call's cost is a USD amount >= 0, not " + costUsd);
        }
    }

    /** A call of no known task. */
    public CallSpend(String provider, String model, Tokens usage, Double costUsd) {
        this(provider, model, usage, costUsd, null);
    }

    /** A priced call of {@code usd} with no tokens counted (tests, tools that know only the cost). */
    public static CallSpend ofCost(double usd) {
        return new CallSpend(null, null, Tokens.ZERO, usd, null);
    }
}
