package run.codetether.agent.domain.rlm;

import java.util.List;

/** Parsed expressions of the RLM command language. Closed set. */
sealed interface RlmExpr {
    record Str(String value) implements RlmExpr {}

    record Num(long value) implements RlmExpr {}

    record Var(String name) implements RlmExpr {}

    record Call(String name, List<RlmExpr> args) implements RlmExpr {}
}
