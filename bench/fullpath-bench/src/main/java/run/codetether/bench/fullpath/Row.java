package run.codetether.bench.fullpath;

import java.util.Map;

/**
 * One measured row of one server: the wrk result, the CPU milliseconds each of its processes used during the row
 * (name -> ms), of that the JIT compiler threads' (name -> {@link JitCpu.Jit}; the bench JVM as {@link #MODEL}),
 * the bench JVM's own CPU (the scripted model, plus the idle driver) and wrk's.
 */
record Row(String label, int connections, Server server, Wrk.Result result, Map<String, Double> cpuMs,
        Map<String, JitCpu.Jit> jit, double modelMs, double wrkMs, double loadBefore, double loadAfter) {
    /** The bench JVM (the scripted model) in {@link #jit()}. */
    static final String MODEL = "model";

    /** CPU of the server's own processes (the platform, or node) per completed request, in ms. */
    double cpuPerCompleted() {
        return result.completed() == 0 ? Double.NaN : serverCpuMs() / result.completed();
    }

    double serverCpuMs() {
        return cpuMs.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    double perCompleted(double ms) {
        return result.completed() == 0 ? Double.NaN : ms / result.completed();
    }

    double p50Ms() {
        return result.p50Us() / 1000.0;
    }

    double p99Ms() {
        return result.p99Us() / 1000.0;
    }
}
