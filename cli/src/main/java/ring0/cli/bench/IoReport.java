package ring0.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result of {@code ring0 bench io}: the median MB/s (10^6 bytes per
 * second) of each test at each file size, for Linux (the {@code syscall}
 * gate) and ring0, and ring0's gain over Linux in percent.
 *
 * @param points     one per size, increasing
 * @param record     bytes per call
 * @param fsync      whether fsync was inside the timing
 * @param close      whether close was inside the timing
 * @param runs       runs per size and gate
 * @param loadBefore the 1-minute load average when the run started
 * @param loadAfter  ... and when it ended
 */
record IoReport(List<IoBench.Point> points, int record, boolean fsync, boolean close, int runs,
                double loadBefore, double loadAfter) {
    /** The two sides, with the names the report gives them. */
    static final Map<Gate, String> SIDES = Map.of(Gate.SYSCALL, "linux", Gate.RING0, "ring0");
    /** The tests' titles in the table and the figure. */
    static final Map<String, String> TITLES = Map.of("write", "Write", "rewrite", "Re-write", "read", "Read", "reread", "Re-read");

    IoReport {
        points = List.copyOf(points);
    }

    /** The median MB/s of {@code test} for the gate at every size. */
    List<Double> medians(Gate g, String test) {
        List<Double> r = new ArrayList<>();
        for (IoBench.Point p : points) r.add(Stats.median(p.mbps().get(g).get(test)));
        return r;
    }

    /** ring0's gain over Linux in percent at every size. */
    List<Double> gains(String test) {
        List<Double> l = medians(Gate.SYSCALL, test), k = medians(Gate.RING0, test), r = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) r.add((k.get(i) - l.get(i)) / l.get(i) * 100);
        return r;
    }

    /** The sizes in KiB. */
    List<Long> sizesKb() { return points.stream().map(p -> p.size() / 1024).toList(); }

    /** The JSON document: {@code {"unit":"MB/s","record_kb":16,...,"linux":{...},"ring0":{...}}}. */
    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("unit", "MB/s");
        root.put("record_kb", record / 1024);
        root.put("fsync", fsync);
        root.put("sizes_kb", sizesKb());
        for (Gate g : List.of(Gate.SYSCALL, Gate.RING0)) {
            Map<String, Object> byTest = new LinkedHashMap<>();
            for (String t : IoBench.TESTS) byTest.put(t, medians(g, t));
            root.put(SIDES.get(g), byTest);
        }
        root.put("close", close);
        Map<String, Object> gain = new LinkedHashMap<>();
        for (String t : IoBench.TESTS) gain.put(t, gains(t));
        root.put("gain_percent", gain);
        Map<String, Object> all = new LinkedHashMap<>();
        for (Gate g : List.of(Gate.SYSCALL, Gate.RING0)) {
            Map<String, Object> byTest = new LinkedHashMap<>();
            for (String t : IoBench.TESTS) byTest.put(t, points.stream().map(p -> p.mbps().get(g).get(t)).toList());
            all.put(SIDES.get(g), byTest);
        }
        root.put("each_run", all);
        root.put("files", points.stream().map(IoBench.Point::files).toList());
        root.put("runs", runs);
        root.put("load_average", List.of(loadBefore, loadAfter));
        return Json.write(root);
    }

    /** The tables for the terminal: one per test. */
    String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "File throughput: median MB/s (10^6 bytes/s) of %d runs, %d KB records, %s%n",
                runs, record / 1024, timing()));
        for (String t : IoBench.TESTS) {
            b.append('\n').append(TITLES.get(t)).append('\n');
            List<Double> l = medians(Gate.SYSCALL, t), k = medians(Gate.RING0, t), g = gains(t);
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                IoBench.Point p = points.get(i);
                rows.add(List.of(sizeLabel(p.size()), Integer.toString(p.files()), mbps(l.get(i)), mbps(k.get(i)),
                        String.format(Locale.ROOT, "%+.1f%%", g.get(i))));
            }
            b.append(TextTable.render(List.of("file size", "files/run", "linux", "ring0", "gain"), rows));
        }
        b.append(String.format(Locale.ROOT, "%nLoad average: %.2f at the start, %.2f at the end.%n", loadBefore, loadAfter));
        return b.toString();
    }

    /** What was inside the timing, in words. */
    String timing() {
        if (fsync) return "fsync and close timed (IOzone -e -c)";
        if (close) return "close timed (IOzone -c)";
        return "read/write loop timed only";
    }

    /** 64 KB, 1 MB, 256 MB. */
    static String sizeLabel(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) return bytes / (1 << 20) + " MB";
        if (bytes % 1024 == 0) return bytes / 1024 + " KB";
        return bytes + " B";
    }

    private static String mbps(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
