package ring0.conformance.fuzz;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/** Counts of a fuzzing run, safe to update from several threads. */
final class FuzzStats {
    final LongAdder mutants = new LongAdder(), rejected = new LongAdder(), accepted = new LongAdder(),
            broken = new LongAdder(), distinct = new LongAdder(), ran = new LongAdder(), crashed = new LongAdder();
    final LongAdder checkNanos = new LongAdder(), runNanos = new LongAdder();
    private final Map<Mutator.Kind, LongAdder[]> byKind = new EnumMap<>(Mutator.Kind.class);
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>(), reasons = new ConcurrentHashMap<>();
    /** A few mutant indices per native outcome, to replay. */
    private final Map<String, List<Long>> examples = new ConcurrentHashMap<>();

    FuzzStats() {
        for (Mutator.Kind k : Mutator.Kind.values()) byKind.put(k, new LongAdder[] {new LongAdder(), new LongAdder()});
    }

    /** Counts a checker decision, by the kinds of edit in the mutant. */
    void judged(Mutator.Mutant m, Gate.Verdict v) {
        mutants.increment();
        for (Mutator.Kind k : m.kinds().stream().distinct().toList()) {
            byKind.get(k)[0].increment();
            if (v instanceof Gate.Verdict.Accepted) byKind.get(k)[1].increment();
        }
        switch (v) {
            case Gate.Verdict.Accepted a -> accepted.increment();
            case Gate.Verdict.Rejected r -> {
                rejected.increment();
                reasons.computeIfAbsent(reason(r.message()), x -> new LongAdder()).increment();
            }
            case Gate.Verdict.Broken b -> broken.increment();
        }
    }

    /** Records the native outcome of mutant {@code index}. */
    void ran(long index, NativeRunner.Outcome o) {
        ran.increment();
        outcomes.computeIfAbsent(o.toString(), x -> new LongAdder()).increment();
        List<Long> ex = examples.computeIfAbsent(o.toString(), x -> new CopyOnWriteArrayList<>());
        if (ex.size() < 3) ex.add(index);
        if (o instanceof NativeRunner.Outcome.Signaled(int s) && NativeRunner.isCrash(s)) crashed.increment();
    }

    /** A rejection message without its numbers and names, so that like rejections count together. */
    static String reason(String message) {
        String m = message.replaceAll("(?<![A-Za-z_.])(0x[0-9a-fA-F]+|-?\\d+)", "N").replaceAll("'[^']*'", "'…'");
        int colon = m.indexOf(": ");
        if (colon > 0 && colon < 50 && (m.startsWith("label ") || m.startsWith("precondition of") || m.startsWith("type ")
                || m.startsWith("data label") || m.startsWith("coercion"))) {
            String head = m.substring(0, colon).replaceAll(" \\S+$", " X");
            m = head + m.substring(colon);
        }
        return m.length() > 70 ? m.substring(0, 70) + "…" : m;
    }

    String summary() {
        long n = mutants.sum();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("mutants %,d: rejected %,d (%.1f%%), accepted %,d (%.1f%%), checker failures %,d%n",
                n, rejected.sum(), pct(rejected.sum(), n), accepted.sum(), pct(accepted.sum(), n), broken.sum()));
        sb.append(String.format("distinct accepted mutants %,d, run natively %,d, crashed %,d%n", distinct.sum(), ran.sum(), crashed.sum()));
        sb.append(String.format("time: checking %.1f s (%.0f µs per mutant), native runs %.1f s (%.2f ms per run), both summed over threads%n",
                checkNanos.sum() / 1e9, n == 0 ? 0 : checkNanos.sum() / 1e3 / n, runNanos.sum() / 1e9,
                ran.sum() == 0 ? 0 : runNanos.sum() / 1e6 / ran.sum()));
        sb.append("native outcomes: ").append(top(outcomes, 12, "; ")).append('\n');
        examples.forEach((o, ix) -> { if (!o.equals("exit 0")) sb.append("  ").append(o).append(", e.g. mutants ").append(ix).append('\n'); });
        sb.append("acceptance by kind of edit (mutants holding that kind: accepted / total):\n");
        byKind.forEach((k, c) -> sb.append(String.format("  %-20s %,9d / %,9d  %5.1f%%%n", k, c[1].sum(), c[0].sum(), pct(c[1].sum(), c[0].sum()))));
        sb.append("most frequent rejections:\n");
        reasons.entrySet().stream().sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .limit(25).forEach(e -> sb.append(String.format("  %,9d  %s%n", e.getValue().sum(), e.getKey())));
        return sb.toString();
    }

    /** Native outcomes and their counts. */
    Map<String, Long> outcomes() {
        return outcomes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()));
    }

    private static String top(Map<String, LongAdder> m, int limit, String sep) {
        List<String> parts = m.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LongAdder> e) -> e.getValue().sum()).reversed())
                .limit(limit).map(e -> e.getKey() + " ×" + e.getValue().sum()).toList();
        return parts.isEmpty() ? "(none)" : String.join(sep, parts);
    }

    private static double pct(long a, long b) {
        return b == 0 ? 0 : 100.0 * a / b;
    }
}
