package ring0.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code ring0 bench syscalls}: median ns per call for each
 * gate and test, shown as a table with each gate's ratio to the
 * {@code syscall} gate, or as JSON.
 *
 * @param cells      gate, then test, to its measurements
 * @param batches    batches per cell
 * @param loadBefore the 1-minute load average when the run started
 * @param loadAfter  ... and when it ended
 */
record LatencyReport(Map<Gate, Map<String, LatencyBench.Cell>> cells, int batches, double loadBefore, double loadAfter) {
    /** The goals for ring0's time per call as a fraction of the syscall gate's (the paper's Table 2 claims). */
    static final Map<String, Double> GOALS = Map.of("getpid", 1 / 5.0, "read", 1 / 3.0, "write", 1 / 3.0, "fstat", 1 / 3.0);

    LatencyReport {
        cells = copy(cells);
    }

    private static Map<Gate, Map<String, LatencyBench.Cell>> copy(Map<Gate, Map<String, LatencyBench.Cell>> m) {
        Map<Gate, Map<String, LatencyBench.Cell>> r = new LinkedHashMap<>();
        m.forEach((g, c) -> r.put(g, new LinkedHashMap<>(c)));
        return r;
    }

    /** The tests, in report order. */
    List<String> tests() {
        return cells.values().stream().findFirst().map(c -> List.copyOf(c.keySet())).orElse(List.of());
    }

    /** The median ns per call, or NaN if the gate or test was not run. */
    double median(Gate g, String test) {
        var c = cells.getOrDefault(g, Map.of()).get(test);
        return c == null ? Double.NaN : c.median();
    }

    /** {@code g}'s median over the syscall gate's, or NaN. */
    double ratio(Gate g, String test) { return median(g, test) / median(Gate.SYSCALL, test); }

    /** The JSON document: {@code {"unit":"ns","gates":{...}, ...}}. */
    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("unit", "ns");
        Map<String, Object> gates = new LinkedHashMap<>(), quartiles = new LinkedHashMap<>(), best = new LinkedHashMap<>(),
                iterations = new LinkedHashMap<>();
        cells.forEach((g, byTest) -> {
            Map<String, Object> med = new LinkedHashMap<>(), q = new LinkedHashMap<>(), b = new LinkedHashMap<>(),
                    n = new LinkedHashMap<>();
            byTest.forEach((t, c) -> {
                med.put(t, c.median());
                q.put(t, List.of(c.lowerQuartile(), c.upperQuartile()));
                b.put(t, c.best());
                n.put(t, c.iterations());
            });
            gates.put(g.label, med);
            quartiles.put(g.label, q);
            best.put(g.label, b);
            iterations.put(g.label, n);
        });
        root.put("gates", gates);
        if (cells.containsKey(Gate.SYSCALL)) {
            Map<String, Object> ratios = new LinkedHashMap<>();
            for (Gate g : cells.keySet()) {
                if (g == Gate.SYSCALL) continue;
                Map<String, Object> r = new LinkedHashMap<>();
                for (String t : tests()) r.put(t, ratio(g, t));
                ratios.put(g.label, r);
            }
            root.put("ratio_to_syscall", ratios);
        }
        root.put("quartiles", quartiles);
        root.put("best", best);
        root.put("iterations", iterations);
        root.put("batches", batches);
        root.put("load_average", List.of(loadBefore, loadAfter));
        return Json.write(root);
    }

    /** The table for the terminal. */
    String table() {
        List<Gate> gates = List.copyOf(cells.keySet());
        boolean ratios = gates.contains(Gate.SYSCALL);
        List<String> header = new ArrayList<>(List.of("test"));
        for (Gate g : gates) header.add(g.label);
        if (ratios) for (Gate g : gates) if (g != Gate.SYSCALL) header.add(g.label + "/syscall");
        boolean goals = ratios && gates.contains(Gate.RING0);
        if (goals) header.add("goal for ring0");
        List<List<String>> rows = new ArrayList<>();
        for (String t : tests()) {
            List<String> row = new ArrayList<>(List.of(switch (t) {
                case "loop" -> "loop (empty)";
                case LatencyBench.SPAWN -> "spawn + wait";
                default -> t;
            }));
            for (Gate g : gates) row.add(fmt(median(g, t)));
            if (ratios) for (Gate g : gates) if (g != Gate.SYSCALL) row.add(String.format(Locale.ROOT, "%.3f", ratio(g, t)));
            if (goals) row.add(goal(t));
            rows.add(row);
        }
        StringBuilder b = new StringBuilder();
        b.append("System-call latency: median ns per call over ").append(batches)
                .append(" batches per cell (lat_syscall, the same ELF through every gate)\n\n");
        b.append(TextTable.render(header, rows));
        b.append("\nN per batch: ");
        List<String> ns = new ArrayList<>();
        cells.forEach((g, byTest) -> {
            List<String> parts = new ArrayList<>();
            byTest.forEach((t, c) -> parts.add(t + " " + c.iterations()));
            ns.add(g.label + " (" + String.join(", ", parts) + ")");
        });
        b.append(String.join("; ", ns)).append('\n');
        b.append(String.format(Locale.ROOT, "Load average: %.2f at the start, %.2f at the end. The empty loop is not subtracted.%n",
                loadBefore, loadAfter));
        return b.toString();
    }

    private String goal(String test) {
        Double g = GOALS.get(test);
        if (g == null) return "";
        double r = ratio(Gate.RING0, test);
        return String.format(Locale.ROOT, "<= %.2f %s", g, Double.isNaN(r) ? "" : r <= g ? "met" : "missed");
    }

    /** ns with a precision that suits its size. */
    static String fmt(double ns) {
        if (Double.isNaN(ns)) return "-";
        if (ns >= 1000) return String.format(Locale.ROOT, "%,.0f", ns);
        if (ns >= 10) return String.format(Locale.ROOT, "%.1f", ns);
        return String.format(Locale.ROOT, "%.2f", ns);
    }
}
